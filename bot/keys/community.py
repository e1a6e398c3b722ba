"""Keys of 在职党员到社区报到: a confirmed service as the evidence of a deed (member_stars.evidence)."""

from bot.keys import Key

service_ref = Key("service:{service}", service=int)  # a confirmed service as a star's evidence
