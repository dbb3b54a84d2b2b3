-- Each panel instance keeps the actors it loaded (user, role, permissions, reseller) and must drop one the
-- moment it changes: every change to users or roles tells the instances on channel nas_panel_actor, with
-- the user's id, or '*' when a role or a whole table changed (src/server/auth/actor-cache.ts). INSERT too:
-- an instance may hold "no such user" for an id that a new row then takes.
-- Notifications go out at commit, so no instance hears of a change before it can read it.
CREATE FUNCTION notify_actor_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_LEVEL = 'ROW' AND TG_TABLE_NAME = 'users' THEN
    PERFORM pg_notify('nas_panel_actor', COALESCE(OLD.id, NEW.id)::text);
  ELSE
    PERFORM pg_notify('nas_panel_actor', '*');
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER users_actor_change AFTER INSERT OR UPDATE OR DELETE ON users FOR EACH ROW EXECUTE FUNCTION notify_actor_change();
--> statement-breakpoint
CREATE TRIGGER users_truncate_actor_change AFTER TRUNCATE ON users FOR EACH STATEMENT EXECUTE FUNCTION notify_actor_change();
--> statement-breakpoint
CREATE TRIGGER roles_actor_change AFTER UPDATE OR DELETE OR TRUNCATE ON roles FOR EACH STATEMENT EXECUTE FUNCTION notify_actor_change();
