import { z } from 'zod';

/**
 * The body ConfigCat sends with the template of contract section 7: `##…##` placeholders substituted, and
 * `##ChangeDetails##` expanded to a JSON array (https://configcat.com/docs/advanced/notifications-webhooks/).
 * Unknown fields are allowed, so an admin who adds to the template is not refused.
 */
export const configCatBodySchema = z.looseObject({
  config: z.looseObject({ id: z.string().min(1), name: z.string() }),
  environment: z.looseObject({ id: z.string().min(1), name: z.string() }),
  url: z.string().optional(),
  changedBy: z.string().optional(),
  notes: z.string().optional(),
  changes: z.array(
    z.looseObject({
      settingKey: z.string().min(1),
      /** "added" | "deleted" | "changed" (configcat/docs 2020 schema); anything newer is counted as ignored */
      event: z.string(),
      /** display text, CRLF lines: "\r\nmyFlag: false ➔ true", or indented "+"/"-" lines for rules and percentages */
      details: z.string().nullish(),
    }),
  ),
});

export type ConfigCatBody = z.infer<typeof configCatBodySchema>;
export type ConfigCatChange = ConfigCatBody['changes'][number];
