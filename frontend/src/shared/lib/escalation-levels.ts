/** Escalation levels (notify-api): 0 临近提醒 1 催办 2 督办 3 通报 4 约谈/问责. */
export const ESCALATION_LEVELS = [0, 1, 2, 3, 4] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];

/** Levels whose notices are numbered (督〔2026〕12号) and must be acknowledged (签收) by the unit. */
export const NUMBERED_LEVELS: readonly number[] = [2, 3];
