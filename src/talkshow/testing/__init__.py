"""What tests and benchmarks use to exercise a show from outside, installed so `talkshow bench` has it too.

- ``talk_client``: a WebRTC caller (aiortc) that speaks a clip and hears the reply;
- ``phone_client``, ``playout``: phone bridges' far ends (Media Streams, AudioSocket), with a
  platform's playout buffer;
- ``chat_stub``: a local server speaking OpenAI's streaming chat protocol with a set delay.

Nothing in the show imports this package.
"""
