trigger StageGateWaiverTrigger on Stage_Gate_Waiver__c(
  before insert,
  before update,
  after update,
  after delete,
  after undelete
) {
  switch on Trigger.operationType {
    when BEFORE_INSERT {
      StageGateWaiverRules.beforeInsert(Trigger.new);
    }
    when BEFORE_UPDATE {
      StageGateWaiverRules.beforeUpdate(Trigger.new, Trigger.oldMap);
    }
    when AFTER_UPDATE {
      StageGateWaiverSync.afterChange(Trigger.new, Trigger.oldMap);
    }
    when AFTER_DELETE {
      StageGateWaiverSync.afterChange(Trigger.old, null);
    }
    when AFTER_UNDELETE {
      StageGateWaiverSync.afterChange(Trigger.new, null);
    }
  }
}
