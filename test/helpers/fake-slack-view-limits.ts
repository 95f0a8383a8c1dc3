/**
 * What Slack checks in a view before views.open / update / push / publish accepts it, for the limits the app can
 * reach with catalog data: it refuses the whole view with invalid_arguments and one message per problem, naming a
 * JSON pointer, e.g. "[ERROR] must be less than 151 characters [json-pointer:/view/blocks/0/element/options/3/value]".
 * Limits from docs.slack.dev/reference/block-kit/composition-objects/option-object (text 75, value 150),
 * .../block-elements/select-menu-element (100 options or option groups, placeholder 150), .../blocks (section text
 * 3000, header 150, input label and hint 2000) and .../surfaces/modals (title, submit, close 24; 100 blocks).
 * Lengths are counted in UTF-16 units, as the app counts them: never less than Slack's characters.
 */
export function viewProblems(view: unknown): string[] {
  const problems: string[] = [];
  const tooLong = (text: unknown, max: number, pointer: string) => {
    if (typeof text === 'string' && text.length > max) problems.push(`[ERROR] must be less than ${max + 1} characters [json-pointer:${pointer}]`);
  };
  const tooMany = (items: unknown, max: number, pointer: string) => {
    if (Array.isArray(items) && items.length > max) problems.push(`[ERROR] must provide no more than ${max} items [json-pointer:${pointer}]`);
  };
  const option = (o: unknown, pointer: string) => {
    if (!isRecord(o)) return;
    tooLong(isRecord(o.text) ? o.text.text : undefined, 75, `${pointer}/text/text`);
    tooLong(o.value, 150, `${pointer}/value`);
  };
  const walk = (node: unknown, pointer: string): void => {
    if (Array.isArray(node)) return node.forEach((item, i) => walk(item, `${pointer}/${i}`));
    if (!isRecord(node)) return;
    for (const key of ['options', 'initial_options'] as const) {
      const list = node[key];
      if (Array.isArray(list)) list.forEach((o, i) => option(o, `${pointer}/${key}/${i}`));
    }
    if (node.initial_option !== undefined) option(node.initial_option, `${pointer}/initial_option`);
    tooMany(node.options, 100, `${pointer}/options`);
    tooMany(node.option_groups, 100, `${pointer}/option_groups`);
    if (isRecord(node.placeholder)) tooLong(node.placeholder.text, 150, `${pointer}/placeholder/text`);
    if (node.type === 'section' && isRecord(node.text)) tooLong(node.text.text, 3000, `${pointer}/text/text`);
    if (node.type === 'header' && isRecord(node.text)) tooLong(node.text.text, 150, `${pointer}/text/text`);
    if (node.type === 'input') {
      if (isRecord(node.label)) tooLong(node.label.text, 2000, `${pointer}/label/text`);
      if (isRecord(node.hint)) tooLong(node.hint.text, 2000, `${pointer}/hint/text`);
    }
    for (const [key, value] of Object.entries(node)) if (typeof value === 'object' && value !== null && key !== 'text') walk(value, `${pointer}/${key}`);
  };
  if (!isRecord(view)) return ['[ERROR] no view given [json-pointer:/view]'];
  for (const key of ['title', 'submit', 'close'] as const) if (isRecord(view[key])) tooLong(view[key].text, 24, `/view/${key}/text`);
  tooMany(view.blocks, 100, '/view/blocks');
  tooLong(view.private_metadata, 3000, '/view/private_metadata');
  walk(view.blocks, '/view/blocks');
  return problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
