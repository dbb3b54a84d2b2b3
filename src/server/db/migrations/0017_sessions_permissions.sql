-- Sessions page (issue 13): admins and resellers see and act on sessions on their NAS, operators look.
UPDATE "roles" SET "permissions" = (SELECT array_agg(DISTINCT p) FROM unnest("permissions" || ARRAY['sessions.view', 'sessions.disconnect']) p)
  WHERE "name" IN ('admin', 'reseller');
--> statement-breakpoint
UPDATE "roles" SET "permissions" = (SELECT array_agg(DISTINCT p) FROM unnest("permissions" || ARRAY['sessions.view']) p)
  WHERE "name" = 'operator';
