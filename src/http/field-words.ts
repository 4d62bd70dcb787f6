// Schema refusals in plain words that name the field ("Title must be at most 200 characters"), not zod's own text.

/** Names people use for request members whose key reads badly when merely split. */
const NAMES: Record<string, string> = {
  'customer.name': 'Customer name',
  'customer.email': 'Customer e-mail',
  email: 'E-mail',
  dueDate: 'Due date',
  to: 'Stage',
};

function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "title" → "Title", "customer.email" → "Customer e-mail", "items.2.quantity" → "Item 3 quantity". */
export function fieldName(path: string[]): string {
  if (path.length === 0) return 'The request';
  const joined = path.join('.');
  if (NAMES[joined]) return NAMES[joined];
  const last = path[path.length - 1]!;
  if (/^\d+$/.test(last)) return `${fieldName(path.slice(0, -1)).replace(/s$/, '')} ${Number(last) + 1}`;
  const before = path[path.length - 2];
  if (before !== undefined && /^\d+$/.test(before)) {
    return `${fieldName(path.slice(0, -1))} ${(NAMES[last] ?? humanize(last)).toLowerCase()}`;
  }
  return NAMES[last] ?? humanize(last);
}

const KINDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
};

/** What is wrong, from a zod issue as fastify-type-provider-zod reports it (code, message and the params). */
export function whatIsWrong(code: string, message: string, params: Record<string, unknown>): string {
  const unit = params.origin === 'string' ? ' characters' : params.origin === 'array' ? ' entries' : '';
  switch (code) {
    case 'too_big':
      return `must be at most ${params.maximum}${unit}`;
    case 'too_small':
      if (params.origin === 'string' && Number(params.minimum) <= 1) return 'must not be empty';
      if (params.origin === 'array' && Number(params.minimum) <= 1) return 'must have at least one entry';
      return `must be at least ${params.minimum}${unit}`;
    case 'invalid_type':
      if (/received undefined/.test(message)) return 'is required';
      return `must be ${KINDS[String(params.expected)] ?? String(params.expected)}`;
    case 'invalid_value':
      return Array.isArray(params.values) ? `must be one of: ${params.values.join(', ')}` : message;
    case 'invalid_format':
      if (params.format === 'email') return 'must be an e-mail address like name@example.com';
      if (params.format === 'url') return 'must be a web address like https://example.com';
      if (params.format === 'date') return 'must be a date like 2026-12-31';
      return `must be a valid ${params.format}`;
    case 'unrecognized_keys':
      return `has members Floorboard does not know: ${Array.isArray(params.keys) ? params.keys.join(', ') : ''}`;
    default:
      return message;
  }
}
