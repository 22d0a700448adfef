/**
 * Choices the admin pages offer where the API types the field as a plain string: delivery filters, client scopes
 * and the event types a webhook subscribes to (notify-api's `delivery/schemas.py` and `webhooks/`, issues-api's
 * client scopes).
 */
export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'dead', 'held', 'folded'] as const;
export const DELIVERY_CHANNELS = ['webhook', 'email', 'sms', 'wecom', 'dingtalk'] as const;
export const CLIENT_SCOPES = ['issues:read', 'issues:write', 'events:read', 'directory:read', 'reports:read'] as const;
/** What a subscription may name (`issue.*` style patterns or `*`); notify-api accepts these and exact types. */
export const WEBHOOK_EVENT_TYPES = ['issue.*', 'intake.*', 'escalation.*', 'notification.created', '*'] as const;
