"""Django loads an app's models from `models.py`: the models of each area live in `<area>/models.py`."""

from fazhi.legalservices.advisers import models as _advisers  # noqa: F401
from fazhi.legalservices.mediation import models as _mediation  # noqa: F401
from fazhi.legalservices.outreach import models as _outreach  # noqa: F401
from fazhi.legalservices.study import models as _study  # noqa: F401
