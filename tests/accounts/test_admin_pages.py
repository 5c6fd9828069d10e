from sqlalchemy import select

from trainer.accounts.models import Hall, User
from trainer.audit.models import AuditEntry
from trainer.permissions import Role


def test_admin_creates_a_user_with_roles_and_it_is_audited(client, login_as, make_user, db):
    admin = login_as(make_user(Role.ADMIN))
    response = client.post(
        "/admin/users/new",
        data={
            "employee_no": "E777",
            "name": "陈静",
            "roles": ["trainee", "mentor"],
            "hall_id": 0,
            "password": "long-enough-1",
            "active": "y",
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.employee_no == "E777"))
    assert user.roles == {Role.TRAINEE, Role.MENTOR}
    entry = db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.action == "user.create", AuditEntry.target_id == str(user.id)
        )
    )
    assert entry.actor_id == admin.id


def test_admin_cannot_remove_their_own_admin_role(client, login_as, make_user, db):
    admin = login_as(make_user(Role.ADMIN))
    client.post(
        f"/admin/users/{admin.id}",
        data={"name": admin.name, "roles": ["trainer"], "hall_id": 0, "active": "y"},
    )
    db.session.refresh(admin)
    assert Role.ADMIN in admin.roles


def test_admin_creates_a_hall(client, login_as, make_user, db):
    login_as(make_user(Role.ADMIN))
    client.post(
        "/admin/halls",
        data={"code": "YT-100", "name": "解放路营业厅", "kind": "hall", "region": "城区"},
    )
    hall = db.session.scalar(select(Hall).where(Hall.code == "YT-100"))
    assert (hall.name, hall.region.name) == ("解放路营业厅", "城区")
