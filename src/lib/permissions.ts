/** The permission catalogue. Roles are named sets of these; the server checks them on every procedure. */
export const PERMISSIONS = {
  'nas.view': 'See the NAS / Routers page',
  'nas.all': "See every NAS, not only those assigned to the user's reseller",
  'nas.create': 'Add NAS devices',
  'nas.edit': 'Edit NAS devices, sync their pools, test their connection',
  'nas.delete': 'Delete NAS devices (refused while sessions are open)',
  'nas.diagnose': 'Run Ping / Traceroute through a NAS',
  'resellers.manage': 'Manage resellers and their NAS assignments',
  'users.manage': 'Manage users and their roles',
  'subscribers.view': "See subscribers (the reseller's own, or every one with nas.all) and their sessions",
  'subscribers.create': 'Add subscribers and import them from CSV',
  'subscribers.edit': 'Edit subscribers',
  'subscribers.delete': 'Delete subscribers (refused while a session is open)',
  'plans.manage': 'Manage Services & Plans and which resellers may offer them',
  'sessions.view': "See open sessions (on the reseller's NAS, or every one with nas.all) and watch their traffic",
  'sessions.disconnect': 'Disconnect sessions, change their rate live (CoA), close stale ones by hand',
} as const;

export type Permission = keyof typeof PERMISSIONS;
export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

export function isPermission(p: string): p is Permission {
  return Object.hasOwn(PERMISSIONS, p);
}

/** Roles seeded at first start (added when missing, never changed afterwards). */
export const SEEDED_ROLES: { name: string; description: string; permissions: Permission[] }[] = [
  { name: 'admin', description: 'Everything', permissions: ALL_PERMISSIONS },
  {
    name: 'operator',
    description: 'Read-only view of every NAS device and subscriber',
    permissions: ['nas.view', 'nas.all', 'subscribers.view', 'sessions.view'],
  },
  {
    name: 'reseller',
    description: 'Manages the NAS devices assigned to its reseller',
    permissions: [
      'nas.view',
      'nas.create',
      'nas.edit',
      'nas.delete',
      'nas.diagnose',
      'subscribers.view',
      'subscribers.create',
      'subscribers.edit',
      'subscribers.delete',
      'sessions.view',
      'sessions.disconnect',
    ],
  },
];
