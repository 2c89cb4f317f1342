from django.db.models import QuerySet

from peyvand.accounts.models import User
from peyvand.customers.models import Tag


def tag_list(*, actor: User) -> QuerySet[Tag]:
    return Tag.objects.all()
