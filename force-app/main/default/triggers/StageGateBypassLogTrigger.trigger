trigger StageGateBypassLogTrigger on Stage_Gate_Bypass_Log__c(
  before update,
  before delete
) {
  StageGateBypassLogGuard.refuse(Trigger.isDelete ? Trigger.old : Trigger.new);
}
