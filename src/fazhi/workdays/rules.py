"""How periods are counted, with the articles that say so. Pure data; the arithmetic is in calendar.py.

- Working-day limits: the start day does not count; holidays and weekends are skipped, adjusted working
  weekends count. 《行政处罚法》第八十五条 (its 二日、三日、五日、七日) and 《行政复议法》第八十八条 (its 三日、五日、
  七日、十日) are working days.
- Natural-day limits: the start day does not count; a period whose last day is a statutory holiday ends on the
  first day after it (《民事诉讼法》第八十五条, applied by 《行政诉讼法》第一百零一条 and 《行政复议法》第八十八条).
"""

PENALTY_LAW_WORKING_DAYS = "《行政处罚法》第八十五条"
RECONSIDERATION_LAW_WORKING_DAYS = "《行政复议法》第八十八条"
CIVIL_PROCEDURE_PERIODS = "《民事诉讼法》第八十五条"

# The legal basis shown with a computed deadline.
NOTE_WORKING = (
    "按工作日计算：起算日不计入，自起算日后的第一个工作日起算；法定节假日和周末不计入，调休上班日计入。"
    f"{PENALTY_LAW_WORKING_DAYS}：本法中“二日”“三日”“五日”“七日”的规定是指工作日，不含法定节假日。"
)
NOTE_CALENDAR = (
    "按自然日计算：期间开始的日不计算在期间内；期间届满的最后一日是法定休假日的，"
    f"以法定休假日后的第一日为期间届满的日期（{CIVIL_PROCEDURE_PERIODS}；"
    f"《行政诉讼法》第一百零一条、{RECONSIDERATION_LAW_WORKING_DAYS}适用）。"
)
