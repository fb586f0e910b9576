from channels.generic.websocket import AsyncJsonWebsocketConsumer

from learning.realtime import learner_group

# Application close code for "not signed in" (4000–4999 are free for applications).
CLOSE_UNAUTHENTICATED = 4401


class LiveConsumer(AsyncJsonWebsocketConsumer):
    """One socket per open page of a signed-in learner: presence, and pushes to them.

    The socket only ever adds to the page: everything it says is also visible on reload.
    """

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            # Closing before accepting makes Daphne refuse the handshake with HTTP 403.
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.group = learner_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello"})

    async def disconnect(self, code: int) -> None:
        group = getattr(self, "group", None)
        if group:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        # Learner actions travel over HTTP; the only thing a client may say is "ping".
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def learner_push(self, event: dict) -> None:
        """Forward a message sent to this learner's group."""
        await self.send_json(event["message"])
