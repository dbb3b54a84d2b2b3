-- Seeing every NAS is now a permission (nas.all): a user without it sees only their reseller's NAS, and none
-- without a reseller. The seeded roles that saw everything keep doing so; a custom role must be given it.
UPDATE "roles" SET "permissions" = array_append("permissions", 'nas.all')
  WHERE "name" IN ('admin', 'operator') AND NOT ('nas.all' = ANY ("permissions"));
--> statement-breakpoint
-- Ping / Traceroute through a router is its own permission (nas.diagnose), no longer implied by nas.view.
UPDATE "roles" SET "permissions" = array_append("permissions", 'nas.diagnose')
  WHERE "name" IN ('admin', 'reseller') AND NOT ('nas.diagnose' = ANY ("permissions"));
--> statement-breakpoint
-- One NAS per address whatever its spelling: an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the IPv4 one.
-- A row whose IPv4 twin already exists keeps its spelling (the unique index forbids two), for an admin to merge.
UPDATE "nas_devices" n SET "ip_address" = '0.0.0.0'::inet + (n."ip_address" - '::ffff:0.0.0.0'::inet)
  WHERE family(n."ip_address") = 6 AND n."ip_address" << '::ffff:0.0.0.0/96'::inet
    AND NOT EXISTS (SELECT 1 FROM "nas_devices" o WHERE o."ip_address" = '0.0.0.0'::inet + (n."ip_address" - '::ffff:0.0.0.0'::inet));
