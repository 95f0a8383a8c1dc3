import type { Request, Response, Router } from 'express';
import type { Organization } from '../../organizations/organizations.repository.js';
import { can } from '../../roles/roles.js';
import { manageableSource } from '../../sources/operations/access.js';
import { createSourceAs } from '../../sources/operations/create.js';
import { deleteSourceAs } from '../../sources/operations/delete.js';
import { listSourcesAs } from '../../sources/operations/list.js';
import type { ListedSource } from '../../sources/operations/listed-source.js';
import { rotateSourceAs } from '../../sources/operations/rotate.js';
import type { SourceFieldError } from '../../sources/operations/source-form.js';
import { deleteSourceView, rotateSourceView, SOURCE_FIELD_LABELS, sourcesView, type FieldProblem, type SourcesPageState } from '../views/sources-view.js';
import { noticeOf } from './dashboard.js';
import { authorizePost, bodyText, headerOf, refuse, requesterOf, requireOrgViewer, type SettingsContext, type Viewer } from './viewer.js';

type OrgViewer = Viewer & { org: Organization };

const NO_SUCH_SOURCE = 'There is no such source.';

/** The page's words for an operation's refused field: "Secret is required for GrowthBook: …". */
const problemOf = (error: SourceFieldError): FieldProblem => ({ field: error.field, text: `${error.reason(SOURCE_FIELD_LABELS[error.field])}.` });

/** An empty field is a field not given: the name defaults to the platform's, the secret is generated where it may be. */
const given = (req: Request, name: string): string | undefined => (bodyText(req, name).trim() === '' ? undefined : bodyText(req, name));

/** Sources (contract section 7) through the same operations as the CLI: list, create, rotate, delete. */
export function registerSources(router: Router, ctx: SettingsContext): void {
  const ops = ctx.sourceOps;

  async function showList(
    res: Response,
    viewer: OrgViewer,
    extras: Pick<SourcesPageState, 'values' | 'problem' | 'created' | 'rotated' | 'notice'> & { status?: 200 | 400 } = {},
  ): Promise<void> {
    const listed = await listSourcesAs(ops, requesterOf(viewer));
    if (listed.kind === 'refused') return refuse(res, 403, 'Your role does not allow this.');
    const { status = 200, ...rest } = extras;
    res
      .status(status)
      .type('html')
      .send(
        sourcesView({
          header: headerOf(viewer),
          sources: listed.sources,
          canAdminister: can.administer(viewer.role),
          platforms: [...ops.sources.values()].map((p) => ({ kind: p.kind, label: p.label, secretOrigin: p.secretOrigin })),
          ...rest,
        }),
      );
  }

  router.get('/sources', async (req, res) => {
    const viewer = await requireOrgViewer(ctx, req, res);
    if (viewer) await showList(res, viewer, { notice: noticeOf(req.query.notice) });
  });

  router.post('/sources', async (req, res) => {
    // CSRF and the organization here; what the role allows is the operation's to say.
    const viewer = await authorizePost(ctx, req, res, () => true);
    if (!viewer) return;
    const values = { kind: bodyText(req, 'kind'), name: bodyText(req, 'name') };
    const outcome = await createSourceAs(ops, requesterOf(viewer), { kind: values.kind, name: given(req, 'name'), secret: given(req, 'secret') });
    switch (outcome.kind) {
      case 'refused':
        return refuse(res, 403, 'Your role does not allow this.');
      case 'invalid':
        return showList(res, viewer, { values, problem: problemOf(outcome.error), status: 400 });
      case 'created':
        // The secret is in this response only, never in a URL; the router's no-store keeps it out of caches.
        return showList(res, viewer, { created: outcome });
    }
  });

  /** The confirmation pages are the admins' only: someone else gets 403, another organization's source 404. */
  async function confirmPage(req: Request, res: Response): Promise<{ viewer: OrgViewer; source: ListedSource } | undefined> {
    const viewer = await requireOrgViewer(ctx, req, res);
    if (!viewer) return undefined;
    const found = await manageableSource(ops, requesterOf(viewer), String(req.params.id));
    if (found.kind === 'refused') return void refuse(res, 403, 'Your role does not allow this.');
    if (found.kind === 'not-found') return void refuse(res, 404, NO_SUCH_SOURCE);
    return { viewer, source: found.source };
  }

  router.get('/sources/:id/rotate', async (req, res) => {
    const page = await confirmPage(req, res);
    if (page) res.type('html').send(rotateSourceView({ header: headerOf(page.viewer), source: page.source }));
  });

  router.post('/sources/:id/rotate', async (req, res) => {
    const viewer = await authorizePost(ctx, req, res, () => true);
    if (!viewer) return;
    const outcome = await rotateSourceAs(ops, requesterOf(viewer), String(req.params.id), given(req, 'secret'));
    switch (outcome.kind) {
      case 'refused':
        return refuse(res, 403, 'Your role does not allow this.');
      case 'not-found':
        return refuse(res, 404, NO_SUCH_SOURCE);
      case 'invalid': {
        const { source } = outcome;
        const view = rotateSourceView({ header: headerOf(viewer), source, problem: problemOf(outcome.error) });
        return void res.status(400).type('html').send(view);
      }
      case 'rotated':
        return showList(res, viewer, { rotated: outcome });
    }
  });

  router.get('/sources/:id/delete', async (req, res) => {
    const page = await confirmPage(req, res);
    if (page) res.type('html').send(deleteSourceView({ header: headerOf(page.viewer), source: page.source }));
  });

  router.post('/sources/:id/delete', async (req, res) => {
    const viewer = await authorizePost(ctx, req, res, () => true);
    if (!viewer) return;
    const outcome = await deleteSourceAs(ops, requesterOf(viewer), String(req.params.id));
    switch (outcome.kind) {
      case 'refused':
        return refuse(res, 403, 'Your role does not allow this.');
      case 'not-found':
        return refuse(res, 404, NO_SUCH_SOURCE);
      case 'deleted':
        return void res.redirect(303, '/settings/sources?notice=source-deleted');
    }
  });
}
