"""Django loads an app's models from `models.py`: the models of each area live in `<area>/models.py`."""

from fazhi.supervision.accountability import models as _accountability  # noqa: F401
from fazhi.supervision.instruments import models as _instruments  # noqa: F401
from fazhi.supervision.reviews import models as _reviews  # noqa: F401
from fazhi.supervision.supervisors import models as _supervisors  # noqa: F401
