-- The W3C traceparent of a rotation's trace (docs/observability.md#traces): the trigger SMS, the device's proposal, the
-- HLR write and the result event continue it, though they happen minutes or days apart and in any replica. Not a
-- secret and not an identifier of anyone: random ids. Null for rotations recorded before tracing.
ALTER TABLE rotation ADD COLUMN trace_parent varchar(55);
