-- Open sessions per NAS, exact: kept by radacct's own writes, in their transaction. An interim update never
-- names acctstoptime, so it fires nothing here (and stays a HOT update).
CREATE FUNCTION radacct_count_open() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM nas_session_counts;
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.acctstoptime IS NULL
     AND (TG_OP = 'DELETE' OR NEW.acctstoptime IS NOT NULL OR NEW.nasipaddress IS DISTINCT FROM OLD.nasipaddress) THEN
    UPDATE nas_session_counts SET open = open - 1 WHERE nasipaddress = OLD.nasipaddress;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.acctstoptime IS NULL
     AND (TG_OP = 'INSERT' OR OLD.acctstoptime IS NOT NULL OR NEW.nasipaddress IS DISTINCT FROM OLD.nasipaddress) THEN
    INSERT INTO nas_session_counts AS c (nasipaddress, open) VALUES (NEW.nasipaddress, 1)
      ON CONFLICT (nasipaddress) DO UPDATE SET open = c.open + 1;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER radacct_count_open_insert_delete AFTER INSERT OR DELETE ON radacct FOR EACH ROW EXECUTE FUNCTION radacct_count_open();
--> statement-breakpoint
CREATE TRIGGER radacct_count_open_update AFTER UPDATE OF acctstoptime, nasipaddress ON radacct FOR EACH ROW EXECUTE FUNCTION radacct_count_open();
--> statement-breakpoint
CREATE TRIGGER radacct_count_open_truncate AFTER TRUNCATE ON radacct FOR EACH STATEMENT EXECUTE FUNCTION radacct_count_open();
--> statement-breakpoint
INSERT INTO nas_session_counts (nasipaddress, open)
  SELECT nasipaddress, count(*)::int FROM radacct WHERE acctstoptime IS NULL GROUP BY nasipaddress;
--> statement-breakpoint
-- Every RADIUS process keeps the NAS rows, subscribers and plans in memory and hears of each change at commit
-- on channel nas_panel_radius ('<table>:<id>', or '<table>:*' when a statement changed many rows: reload all).
-- For nas_devices only the columns RADIUS uses fire it: the heartbeat's and accounting's last_seen / version /
-- is_online writes do not.
CREATE FUNCTION notify_radius_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('nas_panel_radius', TG_TABLE_NAME || ':' || CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER nas_devices_radius_insert_delete AFTER INSERT OR DELETE ON nas_devices FOR EACH ROW EXECUTE FUNCTION notify_radius_row();
--> statement-breakpoint
CREATE TRIGGER nas_devices_radius_update AFTER UPDATE OF ip_address, secret_enc, type, is_active, allowed_realms, require_message_authenticator
  ON nas_devices FOR EACH ROW EXECUTE FUNCTION notify_radius_row();
--> statement-breakpoint
CREATE FUNCTION notify_radius_rows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids int[];
BEGIN
  IF TG_OP = 'DELETE' THEN
    SELECT array_agg(id) INTO ids FROM (SELECT id FROM old_rows LIMIT 101) t;
  ELSE
    SELECT array_agg(id) INTO ids FROM (SELECT id FROM new_rows LIMIT 101) t;
  END IF;
  IF ids IS NULL THEN
    RETURN NULL;
  ELSIF array_length(ids, 1) > 100 THEN
    PERFORM pg_notify('nas_panel_radius', TG_TABLE_NAME || ':*');
  ELSE
    PERFORM pg_notify('nas_panel_radius', TG_TABLE_NAME || ':' || i) FROM unnest(ids) i;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER subscribers_radius_insert AFTER INSERT ON subscribers REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_radius_rows();
--> statement-breakpoint
CREATE TRIGGER subscribers_radius_update AFTER UPDATE ON subscribers REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_radius_rows();
--> statement-breakpoint
CREATE TRIGGER subscribers_radius_delete AFTER DELETE ON subscribers REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_radius_rows();
--> statement-breakpoint
CREATE TRIGGER plans_radius_insert AFTER INSERT ON plans REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_radius_rows();
--> statement-breakpoint
CREATE TRIGGER plans_radius_update AFTER UPDATE ON plans REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_radius_rows();
--> statement-breakpoint
CREATE TRIGGER plans_radius_delete AFTER DELETE ON plans REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_radius_rows();
