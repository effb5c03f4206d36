/** The main navigation, in order. A page that needs a role is shown only to users who have it. */
import type { Role } from './api';

export interface NavItem {
  to: string;
  label: string;
  role?: Role;
}

export const NAV_ITEMS: NavItem[] = [
  { to: '/', label: 'Overview' },
  { to: '/alerts', label: 'Alerts' },
  { to: '/monitors', label: 'Monitors' },
  { to: '/channels', label: 'Channels' },
  { to: '/experiments', label: 'Experiments' },
  { to: '/registry', label: 'Registry' },
  { to: '/admin', label: 'Admin', role: 'admin' },
];
