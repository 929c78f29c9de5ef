-- Hand-written: a deleted customer's event ids (customer_event_keys) were deleted by customer_id,
-- which no index serves: a sequential scan of every client event id ever claimed, once per
-- customer deletion (103 ms at 456,000 ids; seconds at tens of millions, past the request
-- statement_timeout). An index on customer_id would cost every tracked event one more index entry.
-- Instead, keys are found through their events: a key is claimed in the same statement that stores
-- its one event (same event_id, same customer), and events are deleted only here (or have their
-- event_id cleared together with their keys, docs/privacy.md), so the customer's events name all
-- of its keys. The events' (customer_id, …) index per partition and the keys' primary key serve it
-- (~1 ms for a customer with a few events). The privacy scrub deletes keys the same way.
CREATE OR REPLACE FUNCTION customer_events_delete_with_customers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM customer_event_keys k USING old_customers o, customer_events e
  WHERE e.customer_id = o.id AND e.event_id IS NOT NULL AND k.event_id = e.event_id;
  DELETE FROM customer_events e USING old_customers o WHERE e.customer_id = o.id;
  RETURN NULL;
END $$;
