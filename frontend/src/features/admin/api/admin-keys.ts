/** The one source of the admin console's query keys. */
export const adminKeys = {
  all: () => ['admin'] as const,
  users: () => [...adminKeys.all(), 'users'] as const,
  units: () => [...adminKeys.all(), 'units'] as const,
  clients: () => [...adminKeys.all(), 'clients'] as const,
  webhooks: () => [...adminKeys.all(), 'webhooks'] as const,
  deliveries: () => [...adminKeys.all(), 'deliveries'] as const,
  policies: () => [...adminKeys.all(), 'policies'] as const,
  calendar: () => [...adminKeys.all(), 'calendar'] as const,
  channels: () => [...adminKeys.all(), 'channels'] as const,
  audit: () => [...adminKeys.all(), 'audit'] as const,
};

/** The directory's ETag is the row's version in quotes; PATCH sends it back as If-Match. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/** randomUUID needs a secure context; fall back to getRandomValues on plain http. */
export function idempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
