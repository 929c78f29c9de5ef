-- AlterTable
ALTER TABLE "staff_users" ADD COLUMN     "external_subject" TEXT,
ADD COLUMN     "token_version" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "login_throttle" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "window_start" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockouts" INTEGER NOT NULL DEFAULT 0,
    "locked_until" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "login_throttle_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "request_rate_windows" (
    "staff_id" UUID NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "request_rate_windows_pkey" PRIMARY KEY ("staff_id","window_start")
);

-- CreateIndex
CREATE UNIQUE INDEX "staff_users_external_subject_key" ON "staff_users"("external_subject");

-- Every change of a staff row (by the API, a script or plain SQL) tells every server instance to
-- drop its cached copy at commit, so deactivation and deletion take effect at once everywhere
-- (src/auth/staff-directory.ts).
CREATE FUNCTION notify_staff_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('staff_changed', COALESCE(OLD.id, NEW.id)::text);
  RETURN NULL;
END;
$$;

CREATE TRIGGER staff_users_changed AFTER UPDATE OR DELETE ON staff_users
  FOR EACH ROW EXECUTE FUNCTION notify_staff_changed();
