/**
 * Checks a CloudFormation template against AWS's own resource specification (the registry schemas as data, from
 * `@aws-cdk/aws-service-spec`): every resource type known, no unknown property, every required property present,
 * recursively through nested structures. Intrinsic functions (`Ref`, `Fn::…`) stand for any value and are skipped.
 */
import { loadAwsServiceSpec } from '@aws-cdk/aws-service-spec';

type SpecDb = Awaited<ReturnType<typeof loadAwsServiceSpec>>;
interface PropertyType {
  readonly type: string;
  readonly reference?: { readonly $ref: string };
  readonly element?: PropertyType;
  readonly types?: readonly PropertyType[];
}
interface Property {
  readonly type: PropertyType;
  readonly required?: boolean;
}

let db: SpecDb | undefined;

const isIntrinsic = (value: unknown) => {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || String(keys[0]).startsWith('Fn::'));
};
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function checkProperties(
  spec: SpecDb,
  properties: Readonly<Record<string, Property>>,
  value: unknown,
  path: string,
): string[] {
  if (isIntrinsic(value)) return [];
  if (!isObject(value)) return [`${path}: must be an object`];
  const problems: string[] = [];
  for (const [name, property] of Object.entries(properties)) {
    if (property.required && value[name] === undefined) problems.push(`${path}.${name}: is required`);
  }
  for (const [name, inner] of Object.entries(value)) {
    const property = properties[name];
    if (!property) problems.push(`${path}.${name}: is not a property of this type`);
    else problems.push(...checkValue(spec, property.type, inner, `${path}.${name}`));
  }
  return problems;
}

function checkValue(spec: SpecDb, type: PropertyType, value: unknown, path: string): string[] {
  if (isIntrinsic(value)) return [];
  switch (type.type) {
    case 'ref': {
      const definition = spec.get('typeDefinition', type.reference?.$ref ?? '') as unknown as {
        properties: Record<string, Property>;
      };
      return checkProperties(spec, definition.properties, value, path);
    }
    case 'array':
      if (!Array.isArray(value)) return [`${path}: must be a list`];
      return value.flatMap((v, i) => checkValue(spec, type.element as PropertyType, v, `${path}[${i}]`));
    case 'map':
      if (!isObject(value)) return [`${path}: must be a map`];
      return Object.entries(value).flatMap(([k, v]) =>
        checkValue(spec, type.element as PropertyType, v, `${path}.${k}`),
      );
    case 'union': {
      const tries = (type.types ?? []).map((t) => checkValue(spec, t, value, path));
      return tries.some((t) => t.length === 0) ? [] : (tries[0] ?? []);
    }
    case 'json':
      return [];
    case 'tag':
      return isObject(value) && 'Key' in value && 'Value' in value ? [] : [`${path}: must be a {Key, Value} tag`];
    default:
      // Primitives: CloudFormation converts between strings, numbers and booleans itself.
      return isObject(value) || Array.isArray(value) ? [`${path}: must be a ${type.type}`] : [];
  }
}

/** Every problem of the template against the specification, as `Resource.Properties.Path: rule`. */
export async function checkTemplate(template: { Resources: Record<string, { Type: string; Properties?: unknown }> }) {
  db ??= await loadAwsServiceSpec();
  const spec = db;
  const problems: string[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    const [definition] = spec.lookup('resource', 'cloudFormationType', 'equals', resource.Type);
    if (!definition) {
      problems.push(`${id}: resource type ${resource.Type} is not in AWS's specification`);
      continue;
    }
    const properties = (definition as unknown as { properties: Record<string, Property> }).properties;
    problems.push(...checkProperties(spec, properties, resource.Properties ?? {}, `${id}.Properties`));
  }
  return problems;
}
