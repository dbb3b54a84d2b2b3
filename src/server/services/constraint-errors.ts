import { DomainError, FieldConflictError, FieldError, NotFoundError } from '@/server/errors';
import { pgError } from '@/server/db/pg-error';

/**
 * PostgreSQL constraints as the errors a user can act on: one table for every service that writes. The
 * database decides (a unique index holds under concurrent requests where a prior SELECT would not); this
 * says what its verdict means. `values` are the input the service was writing.
 */
type Values = Record<string, unknown>;
const CONSTRAINTS: Record<string, (v: Values) => DomainError> = {
  nas_devices_ip_uq: (v) => new FieldConflictError('ipAddress', `a NAS with IP ${v.ipAddress} already exists`),
  users_email_lower_uq: (v) => new FieldConflictError('email', `a user with email ${v.email} already exists`),
  resellers_name_unique: (v) => new FieldConflictError('name', `a reseller named ${v.name} already exists`),
  users_role_id_roles_id_fk: () => new FieldError('roleId', 'Role does not exist'),
  users_reseller_id_resellers_id_fk: () => new FieldError('resellerId', 'Reseller does not exist'),
  reseller_nas_nas_id_nas_devices_id_fk: (v) => new NotFoundError(`NAS #${v.nasId}`),
  reseller_nas_reseller_id_resellers_id_fk: (v) => new NotFoundError(`reseller #${v.resellerId}`),
  plans_name_unique: (v) => new FieldConflictError('name', `a plan named ${v.name} already exists`),
  plans_default_nas_id_nas_devices_id_fk: (v) => new FieldError('defaultNasId', `Default NAS: NAS #${v.defaultNasId} not found`),
  plan_resellers_reseller_id_resellers_id_fk: () => new FieldError('resellerIds', 'Resellers: a chosen reseller no longer exists'),
  subscribers_username_unique: (v) => new FieldConflictError('username', `a subscriber named ${v.username} already exists`),
  subscribers_static_ip_uq: (v) => new FieldConflictError('staticIp', `static IP ${v.staticIp} is already given to another subscriber`),
  // Deleted between the check and the write: the same words as a NAS that never existed. (Not the plan's key:
  // it also refuses deleting a plan in use, which the plans page words itself.)
  subscribers_nas_id_nas_devices_id_fk: () => new FieldError('nasId', 'NAS not found'),
  subscribers_reseller_id_resellers_id_fk: () => new FieldError('resellerId', 'Reseller not found'),
};

/** The domain error for a constraint violation, or null when `e` is something else. */
export function constraintError(e: unknown, values: Values): DomainError | null {
  const pg = pgError(e);
  const make = pg?.constraint_name ? CONSTRAINTS[pg.constraint_name] : undefined;
  return make ? make(values) : null;
}

/** Runs a write; a known constraint violation becomes its domain error, anything else is rethrown as is. */
export async function withConstraintErrors<T>(values: Values, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    throw constraintError(e, values) ?? e;
  }
}
