-- Every tracked event moves customers.last_activity_at forward. With this index on the column,
-- each such update was a non-HOT update: a new row version plus a new entry in every one of the
-- customers indexes (ten), which was most of the time of an event batch. Without it the update is
-- HOT (heap only: the new version goes on the same page, no index is touched).
-- DropIndex
DROP INDEX "customers_last_activity_at_id_idx";

-- Hand-written: leave room on each page for those same-page row versions. Applies to pages
-- written from now on (rows move to such pages on their first update); existing pages are not
-- rewritten here, which would lock the table for the time of a full copy.
ALTER TABLE "customers" SET (fillfactor = 85);
