import type { Button } from '@slack/types';
import { LIMITS, plainText } from './blocks.js';

/** The handler that opens the details modal listens on this; the button's value is the change's detailsRef. */
export const VIEW_DETAILS_ACTION_ID = 'flag_change_view_details';

/** A link button still sends an action to the app; this id lets the app acknowledge it and do nothing else. */
export const OPEN_FLAG_ACTION_ID = 'flag_change_open_flag';

export function viewDetailsButton(detailsRef: string): Button {
  return { type: 'button', action_id: VIEW_DETAILS_ACTION_ID, text: plainText('View details', LIMITS.buttonText), value: detailsRef };
}

export function openFlagButton(url: string): Button {
  return { type: 'button', action_id: OPEN_FLAG_ACTION_ID, text: plainText('Open flag', LIMITS.buttonText), url };
}
