/**
 * What each staff role may do (docs/roles.md). Agents act on their own conversations and tickets
 * (and claim from the queue); supervisors see everyone's, reassign, and read analytics and the
 * audit log; admins also manage staff accounts and erase conversations on request.
 */
import type { StaffRole } from '../../plugins/handoff';

export type Permission = 'seeAll' | 'reassign' | 'reports' | 'audit' | 'manageStaff' | 'erase';

const GRANTS: Readonly<Record<StaffRole, readonly Permission[]>> = {
  agent: [],
  supervisor: ['seeAll', 'reassign', 'reports', 'audit'],
  admin: ['seeAll', 'reassign', 'reports', 'audit', 'manageStaff', 'erase'],
};

export function can(role: StaffRole, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

/** The logged-in staff member a console request acts as. */
export interface StaffMember {
  id: string;
  role: StaffRole;
}
