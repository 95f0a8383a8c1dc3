import type { Refused } from '../../roles/requester.js';
import type { SourceFieldError } from './source-form.js';
import type { ListedSource } from './listed-source.js';

export type { Refused, Requester } from '../../roles/requester.js';

/** No such live source in the requester's organization (another organization's sources look the same). */
export interface NotFound {
  kind: 'not-found';
}

export interface Invalid {
  kind: 'invalid';
  error: SourceFieldError;
}

/**
 * `secret`: the source's secret, to show this once; `generated`: we made it (the admin pastes it into the
 * platform), else it is the one the admin pasted. `setupSteps`: what to click and paste in the platform.
 */
export type CreateOutcome = { kind: 'created'; source: ListedSource; secret: string; generated: boolean; setupSteps: string[] } | Invalid | Refused;

export type ListOutcome = { kind: 'listed'; sources: ListedSource[] } | Refused;

/** `invalid` names the source too, so a surface can ask for the secret again. */
export type RotateOutcome =
  { kind: 'rotated'; source: ListedSource; secret: string; generated: boolean } | (Invalid & { source: ListedSource }) | Refused | NotFound;

export type DeleteOutcome = { kind: 'deleted'; source: ListedSource } | Refused | NotFound;
