import {
  defaultFieldResolver,
  isObjectType,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import { maskFor, PERSONAL_FIELDS } from '../auth/masking';
import type { Context } from './context';

/** Masking wrapper → the resolver it wraps (undefined: graphql-js's default resolver). */
const wrapped = new WeakMap<
  GraphQLFieldResolver<unknown, unknown>,
  GraphQLFieldResolver<unknown, unknown> | undefined
>();

/** The field's own resolver, looking through the masking wrapper; undefined when it has none. */
export function unmaskedResolver(field: GraphQLField<unknown, unknown>) {
  return field.resolve && wrapped.has(field.resolve) ? wrapped.get(field.resolve) : field.resolve;
}

/**
 * Applies the personal-data policy of src/auth/masking.ts to the schema: only the listed fields
 * get a wrapper (no per-field cost elsewhere), whatever resolver or loader produced the object.
 */
export function applyMaskingPolicy(schema: GraphQLSchema): GraphQLSchema {
  for (const [typeName, fields] of Object.entries(PERSONAL_FIELDS)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`masking policy names ${typeName}, which is not an object type`);
    const defs = type.getFields();
    for (const fieldName of Object.keys(fields)) {
      const def = defs[fieldName];
      if (!def) throw new Error(`masking policy names ${typeName}.${fieldName}, which does not exist`);
      const own = def.resolve;
      const resolve = own ?? defaultFieldResolver;
      def.resolve = (source, args, ctx: Context, info) => {
        const value = resolve(source, args, ctx, info);
        const role = ctx.actor?.role;
        if (value instanceof Promise) return value.then((v) => maskFor(role, typeName, fieldName, v, source));
        return maskFor(role, typeName, fieldName, value, source);
      };
      wrapped.set(def.resolve as GraphQLFieldResolver<unknown, unknown>, own as GraphQLFieldResolver<unknown, unknown>);
    }
  }
  return schema;
}
