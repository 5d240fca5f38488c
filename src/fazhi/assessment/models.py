"""Django loads an app's models from `models.py`: the models of each area live in `<area>/models.py`."""

from fazhi.assessment.dashboard import models as _dashboard  # noqa: F401
from fazhi.assessment.oversight import models as _oversight  # noqa: F401
from fazhi.assessment.reports import models as _reports  # noqa: F401
from fazhi.assessment.scoring import models as _scoring  # noqa: F401
