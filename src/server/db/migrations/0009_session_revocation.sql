-- Sessions end on every instance when what they were granted on changes (src/server/auth/sessions.ts):
-- a new password, a deactivation, another role or another reseller revokes every open session of that user,
-- in the same transaction as the change.
CREATE FUNCTION revoke_user_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE user_sessions SET revoked_at = now() WHERE user_id = NEW.id AND revoked_at IS NULL;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER users_revoke_sessions AFTER UPDATE OF password_hash, is_active, role_id, reseller_id ON users FOR EACH ROW
  WHEN (OLD.password_hash IS DISTINCT FROM NEW.password_hash OR OLD.is_active IS DISTINCT FROM NEW.is_active
        OR OLD.role_id IS DISTINCT FROM NEW.role_id OR OLD.reseller_id IS DISTINCT FROM NEW.reseller_id)
  EXECUTE FUNCTION revoke_user_sessions();
--> statement-breakpoint
-- Instances cache sessions by the user they belong to (src/server/auth/actor-cache.ts): a revoked, changed or
-- deleted live session tells them on the channel of migration 0006 with its user's id, at commit. Expired or
-- already revoked rows going away (the clean-up) change nothing anyone may be served, so they stay quiet.
CREATE FUNCTION notify_session_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_LEVEL = 'ROW' THEN
    PERFORM pg_notify('nas_panel_actor', OLD.user_id::text);
  ELSE
    PERFORM pg_notify('nas_panel_actor', '*');
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER user_sessions_change AFTER UPDATE ON user_sessions FOR EACH ROW
  WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION notify_session_change();
--> statement-breakpoint
CREATE TRIGGER user_sessions_delete AFTER DELETE ON user_sessions FOR EACH ROW
  WHEN (OLD.revoked_at IS NULL AND OLD.expires_at > now()) EXECUTE FUNCTION notify_session_change();
--> statement-breakpoint
CREATE TRIGGER user_sessions_truncate AFTER TRUNCATE ON user_sessions FOR EACH STATEMENT EXECUTE FUNCTION notify_session_change();
--> statement-breakpoint
-- The clean-ups of src/server/auth/sessions.ts and signin-throttle.ts take the oldest rows in small batches.
CREATE INDEX "user_sessions_expires_idx" ON "user_sessions" USING btree ("expires_at");
--> statement-breakpoint
CREATE INDEX "signin_attempts_window_idx" ON "signin_attempts" USING btree ("window_started_at");
