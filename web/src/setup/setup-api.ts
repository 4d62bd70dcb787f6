// The first-run and invite calls the signed-out pages make, and their answers' shapes.
import { get, post, setCsrfToken } from '../api/client.ts';
import type { Me, Role, WorkflowInput } from '../api/types.ts';

export interface WorkflowTemplate {
  trade: string;
  summary: string;
  workflow: WorkflowInput;
}

export interface SetupState {
  needed: boolean;
  templates: WorkflowTemplate[];
}

export interface SetupInput {
  admin: { name: string; email: string; password: string };
  shopName: string;
  calendar: { timeZone: string; workingDays: number[]; dayStart: string; dayEnd: string };
  template: string;
}

export interface InvitePreview {
  email: string;
  name: string | null;
  role: Role;
  shopName: string;
  expiresAt: string;
}

export interface IssuedInvite {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  status: 'pending' | 'accepted' | 'expired' | 'revoked';
  createdAt: string;
  expiresAt: string;
  link: string | null;
  emailed: boolean;
  emailError: string | null;
}

export const SETUP_KEY = ['setup'] as const;

export const readSetup = () => get<SetupState>('/setup');

export async function completeSetup(input: SetupInput): Promise<Me> {
  const me = await post<Me>('/setup', input);
  setCsrfToken(me.csrfToken);
  return me;
}

export async function acceptInvite(token: string, name: string, password: string): Promise<Me> {
  const me = await post<Me>(`/invites/${encodeURIComponent(token)}/accept`, { name, password });
  setCsrfToken(me.csrfToken);
  return me;
}
