import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import type { AppDeps } from '../../../app-deps.js';
import { refusalOf } from '../../../alerts/operations/access.js';
import { draftFromState, parseMeta } from '../../views/alert-draft.js';
import { deploymentChoices, matchingChoices, optionOf, projectChoices, tagChoices } from '../../views/catalog-choices.js';
import { organizationOf, requesterOf } from '../actions/alert-access.js';
import { modalState } from '../views/modal-catalog.js';

type Args = AllMiddlewareArgs & SlackOptionsMiddlewareArgs<'block_suggestion'>;

export type CatalogSelect = 'project' | 'deployment' | 'tag';

/**
 * A searching select of the alert modal (more than 100 entries) asks what matches the typed text. Only someone who
 * may create alerts gets an answer, the same check as opening the modal, and only from the catalog of the
 * organization the request comes from; the project is read from the modal's state, as on submit.
 */
export function catalogOptions(deps: AppDeps, select: CatalogSelect) {
  return async ({ ack, body, context }: Args) => {
    const organizationId = organizationOf(context);
    const requester = await requesterOf(deps, organizationId, body.user.id);
    if (await refusalOf(deps, requester)) return ack({ options: [] });
    const view = body.view;
    const meta = parseMeta(view?.private_metadata);
    const draft = draftFromState(view?.state.values ?? {}, meta);
    // The scope of the select asked about, so only its entries are read.
    const { catalog } = await modalState(deps, organizationId, { ...draft, scope: select });
    const choices =
      select === 'project' ? projectChoices(catalog.projects) : select === 'deployment' ? deploymentChoices(catalog.deployments) : tagChoices(catalog.tags);
    await ack({ options: matchingChoices(choices, body.value).map(optionOf) });
  };
}
