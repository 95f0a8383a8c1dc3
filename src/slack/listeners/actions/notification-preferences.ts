import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import type { AppDeps } from '../../../app-deps.js';
import { parsePreference, type PreferenceParse } from '../../../experiments/preference-form.js';
import { defaultPreference, preferencesOf, savePreference, type Preference } from '../../../experiments/preferences.repository.js';
import { publishHome } from '../../home/publish-home.js';
import { ACTION, BLOCK } from '../../views/ids.js';
import { organizationOf } from './alert-access.js';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction>;
type StateValues = NonNullable<BlockAction['view']>['state']['values'];

/** How Slack reports each element, in the action and in view.state.values alike. */
const option = z.object({ value: z.string() });
const checkboxes = z.object({ selected_options: z.array(option) });
const radioButtons = z.object({ selected_option: option.nullable() });

/**
 * A kind was (un)checked or the channel chosen on the Home tab: save the person's whole choice at once and
 * republish their Home with what is stored. Anyone may, whatever their role: it concerns only themselves.
 */
export function notificationPreferences(deps: AppDeps) {
  return async ({ ack, body, action, context }: Args) => {
    await ack();
    const organizationId = organizationOf(context);
    // The person who clicked, never an id from the payload's values.
    const person = body.user.id;
    const stored = (await preferencesOf(deps.db, organizationId, [person])).get(person) ?? defaultPreference(person);
    const parsed = submittedPreference(person, action, body.view?.state.values, stored);
    if (parsed.ok) {
      await savePreference(deps.db, organizationId, person, parsed.preference, deps.now());
    } else {
      // Only a crafted payload gets here; the Home tab has no place for an error, so it shows what is stored.
      deps.logger.info({ organizationId, userId: person, field: parsed.field, reason: parsed.reason }, 'notification preference not saved');
    }
    await publishHome(deps, organizationId, person);
  };
}

/**
 * The changed element speaks through the action, the other through the view's state; an element missing
 * from the state keeps its stored value. The values are then checked by the same parser as the settings page.
 */
function submittedPreference(person: string, action: BlockAction['actions'][number], values: StateValues | undefined, stored: Preference): PreferenceParse {
  const kindsState = action.action_id === ACTION.notificationKinds ? action : values?.[BLOCK.notificationKinds]?.[ACTION.notificationKinds];
  const channelState = action.action_id === ACTION.notificationChannel ? action : values?.[BLOCK.notificationChannel]?.[ACTION.notificationChannel];
  let kinds: unknown = stored.kinds;
  let channel: unknown = stored.channel;
  if (kindsState !== undefined) {
    const read = checkboxes.safeParse(kindsState);
    if (!read.success) return { ok: false, field: 'kinds', reason: 'not a checkboxes state' };
    kinds = read.data.selected_options.map((o) => o.value);
  }
  if (channelState !== undefined) {
    const read = radioButtons.safeParse(channelState);
    if (!read.success) return { ok: false, field: 'channel', reason: 'not a radio buttons state' };
    channel = read.data.selected_option?.value;
  }
  return parsePreference(person, kinds, channel);
}
