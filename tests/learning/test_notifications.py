import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections, transaction
from django.test import Client
from django.urls import reverse

from learning.asgi import application
from learning.models import Notification
from learning.notifications import notify_learner
from tests.factories import ProfileFactory


@pytest.mark.django_db
def test_stored_notification_shows_on_every_page_until_read(learner_client, learner):
    notify_learner(learner, kind="test", title="Hồ sơ của bạn đã được tiếp nhận", url="/tai-khoan/")

    for path in ["/", "/tai-khoan/", "/khong-co/"]:
        html = learner_client.get(path).content.decode()
        assert "Hồ sơ của bạn đã được tiếp nhận" in html, path
        assert "data-unread-count>1<" in html, path
        assert 'aria-live="polite"' in html

    notification = Notification.objects.get()
    learner_client.post(reverse("accounts:notification_read", args=[notification.pk]), {"next": "/"})
    notification.refresh_from_db()
    assert notification.is_read
    assert "Hồ sơ của bạn đã được tiếp nhận" not in learner_client.get("/").content.decode()
    assert (
        "Hồ sơ của bạn đã được tiếp nhận"
        in learner_client.get(reverse("accounts:notifications")).content.decode()
    )


@pytest.mark.django_db
def test_every_page_shows_the_newest_unread_and_counts_them_all_in_one_query(learner_client, learner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(5):
        notify_learner(learner, kind="test", title=f"Tin số {n}")
    Notification.objects.filter(title="Tin số 4").update(read_at="2026-01-01T00:00Z")
    notify_learner(ProfileFactory().user, kind="test", title="Tin của người khác")

    with CaptureQueriesContext(connection) as captured:
        html = learner_client.get("/tai-khoan/").content.decode()

    assert "data-unread-count>4<" in html
    assert [title for title in ["Tin số 3", "Tin số 2", "Tin số 1", "Tin số 0"] if title in html] == [
        "Tin số 3",
        "Tin số 2",
        "Tin số 1",
    ]
    assert "Tin của người khác" not in html
    notification_queries = [q for q in captured.captured_queries if "learning_notification" in q["sql"]]
    assert len(notification_queries) == 1


@pytest.mark.django_db
def test_mark_all_read(learner_client, learner):
    for n in range(3):
        notify_learner(learner, kind="test", title=f"Tin {n}")
    learner_client.post(reverse("accounts:notifications_read"))
    assert not Notification.objects.unread().exists()


@pytest.mark.django_db
def test_another_learners_notifications_stay_out_of_reach(client, learner):
    other = ProfileFactory().user
    secret = notify_learner(learner, kind="test", title="Riêng của người học A")
    client.force_login(other)

    assert "Riêng của người học A" not in client.get(reverse("accounts:notifications")).content.decode()
    client.post(reverse("accounts:notification_read", args=[secret.pk]))
    secret.refresh_from_db()
    assert not secret.is_read


@pytest.mark.django_db
def test_notification_text_is_escaped(learner_client, learner):
    notify_learner(
        learner, kind="test", title='<script>alert("x")</script>', body="<img src=x onerror=alert(1)>"
    )
    html = learner_client.get("/").content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html
    assert "<img src=x" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_notification_links_stay_on_this_site(learner, url):
    with pytest.raises(ValueError):
        notify_learner(learner, kind="test", title="x", url=url)
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_registration_welcomes_the_learner(client):
    from tests.learning.test_registration import REGISTER, form_data

    client.post(REGISTER, form_data())
    assert Notification.objects.get().kind == "welcome"


@pytest.mark.django_db
def test_password_change_is_notified(learner_client, learner, learner_password):
    learner_client.post(
        reverse("accounts:password_change"),
        {
            "old_password": learner_password,
            "new_password1": "Moi-hoan-toan-2026",
            "new_password2": "Moi-hoan-toan-2026",
        },
    )
    assert Notification.objects.get(learner=learner).kind == "password-changed"


@pytest.mark.django_db
def test_pages_for_visitors_load_no_live_script(client):
    assert "live.js" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_pages_tell_the_live_script_how_widely_to_spread_a_reconnect(learner_client, settings):
    """After a deploy closes every socket, each page waits a random time up to this spread."""
    assert 'data-reconnect-spread="60"' in learner_client.get("/").content.decode()
    settings.LIVE_RECONNECT_SPREAD_SECONDS = 240
    page = learner_client.get(reverse("accounts:notifications")).content.decode()
    assert 'data-reconnect-spread="240"' in page and "live.js" in page


# --- the live push -------------------------------------------------------------------------

pytest_live = pytest.mark.django_db(transaction=True, serialized_rollback=True)


async def open_socket(user) -> WebsocketCommunicator:
    def cookie():
        client = Client()
        client.force_login(user)
        return f"sessionid={client.cookies['sessionid'].value}".encode()

    socket = WebsocketCommunicator(
        application,
        "/ws/live/",
        headers=[
            (b"origin", b"http://127.0.0.1:8000"),
            (b"host", b"127.0.0.1:8000"),
            (b"cookie", await sync_to_async(cookie)()),
        ],
    )
    connected, _ = await socket.connect()
    assert connected
    assert await socket.receive_json_from() == {"type": "hello"}
    return socket


@pytest.fixture
async def _close_sync_connections():
    yield
    await sync_to_async(connections.close_all)()


@pytest_live
@pytest.mark.usefixtures("_close_sync_connections")
async def test_notification_is_pushed_after_the_transaction_commits(learner):
    socket = await open_socket(learner)

    def notify_in_a_transaction():
        with transaction.atomic():
            notify_learner(learner, kind="dossier-status", title="Hồ sơ đã được tiếp nhận", url="/tai-khoan/")

    await sync_to_async(notify_in_a_transaction)()

    message = await socket.receive_json_from(timeout=2)
    assert message["type"] == "notification"
    assert message["title"] == "Hồ sơ đã được tiếp nhận"
    assert message["url"] == "/tai-khoan/"
    assert message["id"] == (await Notification.objects.aget()).pk
    await socket.disconnect()


@pytest_live
@pytest.mark.usefixtures("_close_sync_connections")
async def test_nothing_is_stored_or_pushed_when_the_transaction_rolls_back(learner):
    socket = await open_socket(learner)

    def notify_then_fail():
        with transaction.atomic():
            notify_learner(learner, kind="test", title="Không bao giờ gửi")
            raise RuntimeError("the surrounding action failed")

    with pytest.raises(RuntimeError):
        await sync_to_async(notify_then_fail)()

    assert await socket.receive_nothing(timeout=0.3)
    assert not await Notification.objects.aexists()
    await socket.disconnect()
