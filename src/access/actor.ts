import type { Role } from './roles';

/** Who is acting: a signed-in person or an agency system calling the API. */
export interface Actor {
  userId: string;
  kind: 'person' | 'system';
  displayName: string;
  email: string | null;
  role: Role;
  areaId: string;
  areaName: string;
  agencyId: string;
  agencyName: string;
  /** The agency's kind (police, school, childrens_social_care…): what it may send, among other things. */
  agencyKind: string;
  teamId: string | null;
  /**
   * An inspector inside a window of access given by an administrator (src/sharing/inspection.ts).
   * Outside one an inspector holds no permission but their own identity; false for other roles.
   */
  inspectionWindowOpen: boolean;
}

/** Where the request came from, recorded with every audit event. */
export interface RequestOrigin {
  requestId: string;
  ip: string;
}
