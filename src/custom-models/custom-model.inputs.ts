import { Field, Float, InputType } from 'type-graphql';

@InputType({ description: "A tenant's own ensemble of the platform's base models." })
export class CreateCustomModelInput {
  @Field(() => String, { description: 'Lower-case letters, digits and dashes; unique in your tenant.' })
  name!: string;

  @Field(() => [String], { description: 'Base models to pool: dixon-coles, shots-poisson, elo, pi-ratings, ensemble.' })
  baseModels!: string[];

  @Field(() => [Float], { description: 'One non-negative weight per base model, in the same order.' })
  weights!: number[];

  @Field(() => Float, {
    nullable: true,
    description: 'Half-life in days (7 to 3650) of the time decay of a Dixon-Coles refit of your own.',
  })
  timeDecayHalfLifeDays?: number | null;
}

@InputType({ description: 'What to change; omitted fields stay as they are.' })
export class UpdateCustomModelInput {
  @Field(() => [String], { nullable: true })
  baseModels?: string[] | null;

  @Field(() => [Float], { nullable: true })
  weights?: number[] | null;

  @Field(() => Float, { nullable: true, description: "null: back to the platform's Dixon-Coles." })
  timeDecayHalfLifeDays?: number | null;
}
