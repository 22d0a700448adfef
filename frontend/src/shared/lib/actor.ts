/** Who acted, read from an event's `actor` object (docs/events.md); any field the entry lacks is null. */
export interface ActorFields {
  kind: string | null;
  id: string | null;
  username: string | null;
  display_name: string | null;
  role: string | null;
  unit_id: string | null;
  unit_name: string | null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value ? value : null;
}

/** The actor's fields from an event or timeline entry, whose `actor` the API types as a free-form object. */
export function readActor(actor: Readonly<Record<string, unknown>> | null | undefined): ActorFields {
  const get = (key: string) => text(actor?.[key]);
  return {
    kind: get('kind'),
    id: get('id'),
    username: get('username'),
    display_name: get('display_name'),
    role: get('role'),
    unit_id: get('unit_id'),
    unit_name: get('unit_name'),
  };
}
