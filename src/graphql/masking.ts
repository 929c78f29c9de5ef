import { defaultFieldResolver, isObjectType, type GraphQLSchema } from 'graphql';
import { maskFor, PERSONAL_FIELDS } from '../auth/masking';
import type { Context } from './context';

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
      const resolve = def.resolve ?? defaultFieldResolver;
      def.resolve = (source, args, ctx: Context, info) => {
        const value = resolve(source, args, ctx, info);
        const role = ctx.actor?.role;
        if (value instanceof Promise) return value.then((v) => maskFor(role, typeName, fieldName, v, source));
        return maskFor(role, typeName, fieldName, value, source);
      };
    }
  }
  return schema;
}
