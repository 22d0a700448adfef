/** Where each role lands after signing in (docs/architecture.md "The web app"): the page of its own work. */
const HOMES: Record<string, string> = {
  unit: '/workbench',
  office: '/desk',
  leader: '/cockpit',
  admin: '/admin',
};

export function homeFor(role: string | undefined): string {
  return (role && HOMES[role]) || '/issues';
}
