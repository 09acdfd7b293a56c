import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { idOf, toGlobalId } from '../common/global-id';
import type { AppContext } from '../context';
import { Role } from './role';
import { InviteMemberInput } from './tenant.inputs';
import { Member, RemoveMemberPayload } from './tenant.types';

@Resolver(() => Member)
export class MemberResolver {
  @Mutation(() => Member, { description: 'Adds a user to your tenant (creating the user if new). Needs OWNER.' })
  inviteMember(
    @Arg('input', () => InviteMemberInput) input: InviteMemberInput,
    @Ctx() ctx: AppContext,
  ): Promise<Member> {
    return ctx.services.tenants.inviteMember({ ...input });
  }

  @Mutation(() => RemoveMemberPayload, {
    description: "Removes a member of your tenant and revokes the member's keys. Needs OWNER; the last OWNER stays.",
  })
  async removeMember(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<RemoveMemberPayload> {
    const removed = await ctx.services.tenants.removeMember(idOf('Member', id));
    return { removedMemberId: toGlobalId('Member', removed.removedMemberId), revokedApiKeys: removed.revokedApiKeys };
  }

  @Mutation(() => Member, {
    description: 'Changes the role of a member of your tenant. Needs OWNER; the last OWNER stays.',
  })
  changeMemberRole(
    @Arg('id', () => ID) id: string,
    @Arg('role', () => Role) role: Role,
    @Ctx() ctx: AppContext,
  ): Promise<Member> {
    return ctx.services.tenants.changeMemberRole(idOf('Member', id), role);
  }
}
