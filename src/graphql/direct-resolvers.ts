// type-graphql calls every `@FieldResolver` through a generic wrapper: per call it looks the
// resolver instance up in its container (a linear search), sorts and maps the parameter list,
// runs the (empty) middleware chain and, when the method takes an argument, awaits an async
// validation step even with validation off, so `orders(first: 3)` on 50 customers costs 50
// extra promises. For field resolvers that need none of it (no roles, no middlewares, no
// validation, parameters that are the root, the context, the info or arguments that type-graphql
// hands over unchanged) this installs a resolver that calls the method directly with the same
// values. Anything else keeps type-graphql's wrapper. Call on the built schema, before the
// wrappers of masking.ts and abort.ts.
import { GraphQLScalarType, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';

type Getter = (root: unknown, args: Record<string, unknown>, context: unknown, info: unknown) => unknown;
type Param = NonNullable<ReturnType<typeof getMetadataStorage>['fieldResolvers'][number]['params']>[number];
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Class = Function;

/** An argument type whose values type-graphql passes through as they are (not an input class). */
function passedThrough(target: unknown, inputClasses: Set<Class>): boolean {
  return target instanceof GraphQLScalarType || typeof target !== 'function' || !inputClasses.has(target);
}

/**
 * An `@Args()` class of plain fields: type-graphql copies the defined values onto a new instance
 * (dropping the instance's own undefined properties that were not sent); the same, without its
 * per-call metadata lookups.
 */
function argsClassGetter(argsClass: Class, inputClasses: Set<Class>): Getter | null {
  const storage = getMetadataStorage();
  const fields: string[] = [];
  for (let target = argsClass; target?.prototype !== undefined; target = Object.getPrototypeOf(target)) {
    const metadata = storage.argumentTypes.find((t) => t.target === target);
    for (const field of metadata?.fields ?? []) {
      if (!passedThrough(field.getType(), inputClasses)) return null;
      fields.push(field.name);
    }
  }
  const Args = argsClass as new () => Record<string, unknown>;
  return (_root, args) => {
    const data: Record<string, unknown> = {};
    for (const name of fields) if (args[name] !== undefined) data[name] = args[name];
    const instance = new Args();
    for (const key of Object.keys(instance)) if (instance[key] === undefined && !(key in data)) delete instance[key];
    return Object.assign(instance, data);
  };
}

function paramGetter(param: Param, inputClasses: Set<Class>): Getter | null {
  switch (param.kind) {
    case 'root':
      if (param.getType) return null;
      return param.propertyName ? (root) => (root as Record<string, unknown>)[param.propertyName!] : (root) => root;
    case 'context':
      return param.propertyName
        ? (_root, _args, context) => (context as Record<string, unknown>)[param.propertyName!]
        : (_root, _args, context) => context;
    case 'info':
      return (_root, _args, _context, info) => info;
    case 'arg':
      if (param.validateFn || param.validateSettings !== undefined) return null;
      if (!passedThrough(param.getType(), inputClasses)) return null;
      return (_root, args) => args[param.name];
    case 'args':
      if (param.validateFn || param.validateSettings !== undefined) return null;
      return argsClassGetter(param.getType() as Class, inputClasses);
    default:
      return null;
  }
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function useDirectFieldResolvers(schema: GraphQLSchema, resolverClasses: readonly Function[]): GraphQLSchema {
  const storage = getMetadataStorage();
  const inputClasses = new Set<Class>(storage.inputTypes.map((t) => t.target));
  const registered = new Set<Class>(resolverClasses);
  const instances = new Map<Class, Record<string, (...params: unknown[]) => unknown>>();
  const candidates = storage.fieldResolvers.filter((r) => r.kind === 'external' && registered.has(r.target));
  for (const resolver of candidates) {
    const objectClass = resolver.getObjectType?.();
    // type-graphql takes the first field resolver of a type and method name; a second one is left alone.
    if (
      candidates.filter((r) => r.getObjectType?.() === objectClass && r.methodName === resolver.methodName).length > 1
    )
      continue;
    if (resolver.roles || resolver.middlewares?.length) continue;
    const typeName = storage.objectTypes.find((t) => t.target === objectClass)?.name;
    const type = typeName ? schema.getType(typeName) : undefined;
    const field = isObjectType(type) ? type.getFields()[resolver.schemaName] : undefined;
    if (!field?.resolve) continue;
    const getters = [...(resolver.params ?? [])]
      .sort((a, b) => a.index - b.index)
      .map((param) => paramGetter(param, inputClasses));
    if (getters.some((getter) => getter === null)) continue;
    let instance = instances.get(resolver.target);
    if (!instance) {
      instance = new (resolver.target as new () => Record<string, (...params: unknown[]) => unknown>)();
      instances.set(resolver.target, instance);
    }
    const target = instance;
    const method = resolver.methodName;
    const get = getters as Getter[];
    let direct: GraphQLFieldResolver<unknown, unknown>;
    if (get.length === 1) {
      const [a] = get;
      direct = (root, args, context, info) => target[method](a(root, args, context, info));
    } else if (get.length === 2) {
      const [a, b] = get;
      direct = (root, args, context, info) =>
        target[method](a(root, args, context, info), b(root, args, context, info));
    } else {
      direct = (root, args, context, info) => target[method](...get.map((g) => g(root, args, context, info)));
    }
    field.resolve = direct;
  }
  return schema;
}
