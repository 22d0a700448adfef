import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FeedEvent } from '@/api/generated/openapi';
import { readActor } from '@/shared/lib/actor';

/** i18n key of an event type: issue verbs share the issue timeline's labels, other subjects have their own. */
export function eventTypeKey(type: string): string {
  const [subject = '', ...verb] = type.split('.');
  const name = verb.join('_');
  return subject === 'issue' ? `events.${name}` : `admin.audit.types.${subject}_${name}`;
}

/** The zh-CN (or English) label of an event type; the raw type when there is none. */
export function useEventTypeLabel(): (type: string) => string {
  const { t } = useTranslation();
  return (type) => t(eventTypeKey(type), { defaultValue: type });
}

/** Who acted: the username and role; a citizen (public) or the system when there is no account. */
export function AuditActor({ actor: raw }: { actor: FeedEvent['actor'] }) {
  const { t } = useTranslation();
  const actor = readActor(raw);
  const kind = actor.kind ?? 'system';
  const name = actor.username ?? actor.id ?? t(`admin.audit.actorKinds.${kind}`, { defaultValue: kind });
  return (
    <span>
      {name}
      {actor.role ? <Typography.Text type="secondary"> / {t(`roles.${actor.role}`, { defaultValue: actor.role })}</Typography.Text> : null}
    </span>
  );
}
