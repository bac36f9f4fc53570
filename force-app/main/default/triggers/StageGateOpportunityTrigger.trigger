trigger StageGateOpportunityTrigger on Opportunity(
  before insert,
  before update
) {
  switch on Trigger.operationType {
    when BEFORE_INSERT {
      StageGateOpportunityGuard.beforeInsert(Trigger.new);
    }
    when BEFORE_UPDATE {
      StageGateOpportunityGuard.beforeUpdate(Trigger.new, Trigger.oldMap);
    }
  }
}
