import type { DeploymentRef, FlagSnapshot } from '../../flag-change/model.js';
import type { EnvironmentConfig, FlagVersion } from './payload.schema.js';

/** The flag as the entry names it, for when a version is missing (a minimal delete entry has neither). */
export interface FlagIdentity {
  key: string;
  name: string | null;
}

type Variations = NonNullable<FlagVersion['variations']>;

/** The flag-wide fields of a version: what a created, deleted, archived or renamed flag shows. */
export function flagLevelSnapshot(version: FlagVersion | null | undefined, flag: FlagIdentity, deployments: DeploymentRef[]): FlagSnapshot {
  const environments = Object.values(version?.environments ?? {});
  return {
    ...identityOf(version, flag),
    // The flag counts as on when it is on in any environment; absent when the entry carries no environment.
    enabled: environments.length === 0 ? undefined : environments.some((env) => env.on === true),
    deployments,
    ...flagWideFields(version),
  };
}

/** The flag in one environment: its on/off state, default rule, targeting and prerequisites there. */
export function environmentSnapshot(version: FlagVersion, config: EnvironmentConfig, flag: FlagIdentity, deployment: DeploymentRef): FlagSnapshot {
  const variations = version.variations ?? [];
  const fallthrough = config.fallthrough;
  return {
    ...identityOf(version, flag),
    enabled: config.on ?? undefined,
    deployments: [deployment],
    ...flagWideFields(version),
    rolloutWeights: fallthrough?.rollout ? rolloutWeights(fallthrough.rollout.variations, variations) : undefined,
    defaultVariation: fallthrough?.variation != null ? variationKey(variations, fallthrough.variation) : undefined,
    offVariation: config.offVariation != null ? variationKey(variations, config.offVariation) : undefined,
    targetSegments: segmentsOf(config.rules ?? []),
    rules: config.rules ?? undefined,
    targets: config.targets ?? undefined,
    contextTargets: config.contextTargets ?? undefined,
    prerequisites: config.prerequisites ?? undefined,
  };
}

function identityOf(version: FlagVersion | null | undefined, flag: FlagIdentity): Pick<FlagSnapshot, 'id' | 'key' | 'name'> {
  return { id: flag.key, key: flag.key, name: version?.name ?? flag.name };
}

function flagWideFields(version: FlagVersion | null | undefined): Partial<FlagSnapshot> {
  if (!version) return {};
  return {
    description: version.description ?? undefined,
    tags: version.tags ?? undefined,
    variants: version.variations?.map((v, i) => ({ key: variationKey(version.variations ?? [], i), name: v.name ?? undefined, value: v.value })),
    archived: version.archived ?? undefined,
    deprecated: version.deprecated ?? undefined,
    temporary: version.temporary ?? undefined,
  };
}

/**
 * A variation is known by its value: LaunchDarkly requires the values of one flag to differ, while names are optional
 * and `_id`s are absent from some entries.
 */
function variationKey(variations: Variations, index: number): string {
  const variation = variations[index];
  if (!variation) return `#${index}`;
  return typeof variation.value === 'string' ? variation.value : (JSON.stringify(variation.value) ?? `#${index}`);
}

/** Percent per variation, from LaunchDarkly's weights in thousandths of a percent (100000 = 100%). */
function rolloutWeights(weights: readonly { variation: number; weight: number }[], variations: Variations): Record<string, number> {
  return Object.fromEntries(weights.map((w) => [variationKey(variations, w.variation), w.weight / 1000]));
}

/** The segments the rules target (`segmentMatch` clauses name segment keys). */
function segmentsOf(rules: NonNullable<EnvironmentConfig['rules']>): string[] {
  const keys = rules.flatMap((r) => (r.clauses ?? []).filter((c) => c.op === 'segmentMatch').flatMap((c) => c.values ?? []));
  return [...new Set(keys.map(String))];
}
