-- Kip320 (hachikuji/kafka-specification, Kip320.tla EXTENDS Kip279 EXTENDS
-- KafkaReplication) written in Murphi for Rumur, so that Rumur explores the
-- same state space as TLC and electcheck's Go port
-- (model/tlareplication, variant kip320).
--
-- Reference constants: Replicas = {r1, r2, r3}, LogSize = 2, MaxRecords = 2,
-- MaxLeaderEpoch = 2. No symmetry reduction: replicas are a plain range.
--
-- State = the specification's six variables, nothing else:
--   replicaLog, replicaState, nextRecordId, nextLeaderEpoch,
--   leaderAndIsrRequests, quorumState.
-- Representation choices (each one-to-one with the TLA+ value):
--   * None ("NONE") is replica 0; Nil (-1) is epoch -1.
--   * A log is [endOffset, records]; records at offsets >= endOffset are the
--     specification's Nil and are kept at the fixed value [id 0, epoch 0]
--     (every action that shortens a log resets them), so equal logs are
--     equal bit patterns.
--   * Every request in leaderAndIsrRequests is added by ControllerUpdateIsr
--     with a fresh epoch taken from nextLeaderEpoch, so the set is stored as
--     requests[e] for e in 0..nextLeaderEpoch-1; entries from
--     nextLeaderEpoch on are kept at [leader None, isr {}].
--   * Sets of replicas are boolean arrays.
--
-- Rules are one per binding of Next that TLC enumerates, so that "rules
-- fired" is TLC's "states generated" minus the initial state. The two
-- disjuncts of FencedLeaderShrinkIsr can hold together; each is its own
-- rule, as TLC generates the successor once per disjunct.

const
  NR: 3;              -- |Replicas|
  LogSize: 2;
  MaxRecords: 2;
  MaxLeaderEpoch: 2;

type
  ReplicaOpt: 0..NR;                  -- 0 is None
  Replica: 1..NR;
  EpochOpt: -1..MaxLeaderEpoch;       -- -1 is Nil
  Epoch: 0..MaxLeaderEpoch;
  Offset: 0..LogSize-1;
  EndOffset: 0..LogSize;
  RecordId: 0..MaxRecords-1;
  ReplicaSet: array [Replica] of boolean;

  LogRecord: record
    id: RecordId;
    epoch: Epoch;
  end;

  Log: record
    endOffset: EndOffset;
    records: array [Offset] of LogRecord;
  end;

  ReplicaStateT: record
    hw: EndOffset;
    leaderEpoch: EpochOpt;
    leader: ReplicaOpt;
    isr: ReplicaSet;
  end;

  QuorumStateT: record
    leaderEpoch: EpochOpt;
    leader: ReplicaOpt;
    isr: ReplicaSet;
  end;

  -- A LeaderAndIsr request; its leaderEpoch is its index in requests.
  Request: record
    leader: ReplicaOpt;
    isr: ReplicaSet;
  end;

var
  replicaLog: array [Replica] of Log;
  replicaState: array [Replica] of ReplicaStateT;
  nextRecordId: 0..MaxRecords;
  nextLeaderEpoch: 0..MaxLeaderEpoch+1;
  requests: array [Epoch] of Request;
  quorumState: QuorumStateT;

------------------------------------------------------------------------------
-- Operators

function PresumesLeadership(r: Replica): boolean;
begin
  return replicaState[r].leader = r;
end;

function HasOffset(r: Replica; o: EndOffset): boolean;
begin
  return o < replicaLog[r].endOffset;
end;

function IsFull(r: Replica): boolean;
begin
  return replicaLog[r].endOffset = LogSize;
end;

function IsEmpty(r: Replica): boolean;
begin
  return replicaLog[r].endOffset = 0;
end;

function SameRecord(a: Replica; b: Replica; o: Offset): boolean;
begin
  return replicaLog[a].records[o].id = replicaLog[b].records[o].id
       & replicaLog[a].records[o].epoch = replicaLog[b].records[o].epoch;
end;

function IsTrueLeader(l: Replica): boolean;
begin
  return quorumState.leader = l
       & PresumesLeadership(l)
       & replicaState[l].leaderEpoch = quorumState.leaderEpoch;
end;

-- enabling condition of QuorumUpdateLeaderAndIsr
function CanUpdateQuorum(l: Replica): boolean;
begin
  return IsTrueLeader(l) & quorumState.leader = l;
end;

-- Kip320 LOCAL IsFollowingLeaderEpoch
function IsFollowingLeaderEpoch(l: Replica; f: Replica): boolean;
begin
  return PresumesLeadership(l)
       & replicaState[f].leader = l
       & replicaState[f].leaderEpoch = replicaState[l].leaderEpoch;
end;

-- Kip320 LOCAL HasHighWatermarkReachedCurrentEpoch
function HasHighWatermarkReachedCurrentEpoch(l: Replica): boolean;
var hw: EndOffset;
begin
  hw := replicaState[l].hw;
  if hw = replicaLog[l].endOffset then return true; end;
  if hw < replicaLog[l].endOffset then
    return replicaLog[l].records[hw].epoch = replicaState[l].leaderEpoch;
  end;
  return false;
end;

-- Kip320 LOCAL HasFollowerReachedHighWatermark
function HasFollowerReachedHighWatermark(l: Replica; f: Replica): boolean;
var hw: EndOffset;
begin
  hw := replicaState[l].hw;
  if hw = 0 then return true; end;
  return HasOffset(f, hw - 1);
end;

-- Kip279 FirstNonMatchingOffsetFromTail(leader, follower)
function FirstNonMatchingOffsetFromTail(l: Replica; f: Replica): EndOffset;
begin
  if IsEmpty(l) then return 0; end;
  for o: Offset do
    -- scan from the tail: offset LogSize-1-o
    if HasOffset(f, LogSize-1-o) & HasOffset(l, LogSize-1-o)
       & SameRecord(l, f, LogSize-1-o) then
      return LogSize-o;
    end;
  end;
  return 0;
end;

-- KafkaReplication ControllerUpdateIsr (guard nextLeaderEpoch <= MaxLeaderEpoch
-- is in the callers' rule guards)
procedure ControllerUpdateIsr(newLeader: ReplicaOpt; newIsr: ReplicaSet);
var e: Epoch;
begin
  e := nextLeaderEpoch;
  nextLeaderEpoch := nextLeaderEpoch + 1;
  quorumState.leaderEpoch := e;
  quorumState.leader := newLeader;
  quorumState.isr := newIsr;
  requests[e].leader := newLeader;
  requests[e].isr := newIsr;
end;

-- KafkaReplication QuorumUpdateLeaderAndIsr (guard in the callers)
procedure QuorumUpdateLeaderAndIsr(l: Replica; newIsr: ReplicaSet);
begin
  quorumState.isr := newIsr;
  replicaState[l].isr := newIsr;
end;

-- FiniteReplicatedLog TruncateTo (guard newEnd <= endOffset in the callers)
procedure TruncateTo(r: Replica; newEnd: EndOffset);
begin
  for o: Offset do
    if o >= newEnd then
      replicaLog[r].records[o].id := 0;
      replicaLog[r].records[o].epoch := 0;
    end;
  end;
  replicaLog[r].endOffset := newEnd;
end;

------------------------------------------------------------------------------
-- Init

startstate "Init"
  for r: Replica do
    replicaLog[r].endOffset := 0;
    for o: Offset do
      replicaLog[r].records[o].id := 0;
      replicaLog[r].records[o].epoch := 0;
    end;
    replicaState[r].hw := 0;
    replicaState[r].leaderEpoch := -1;
    replicaState[r].leader := 0;
    for x: Replica do replicaState[r].isr[x] := false; end;
  end;
  nextRecordId := 0;
  nextLeaderEpoch := 0;
  for e: Epoch do
    requests[e].leader := 0;
    for x: Replica do requests[e].isr[x] := false; end;
  end;
  quorumState.leaderEpoch := -1;
  quorumState.leader := 0;
  for x: Replica do quorumState.isr[x] := true; end;
end;

------------------------------------------------------------------------------
-- Next

-- ControllerElectLeader == \E newLeader \in quorumState.isr : ...
ruleset n: Replica do
  rule "ControllerElectLeader"
    nextLeaderEpoch <= MaxLeaderEpoch
    & quorumState.isr[n]
    & quorumState.leader != n
  ==>
  var isr: ReplicaSet;
  begin
    isr := quorumState.isr;
    ControllerUpdateIsr(n, isr);
  end;
end;

-- ControllerShrinkIsr == \E replica \in Replicas : three disjuncts, which
-- exclude one another.
ruleset r: Replica do
  rule "ControllerShrinkIsr: leader is the only ISR member"
    nextLeaderEpoch <= MaxLeaderEpoch
    & quorumState.leader = r
    & (forall x: Replica do quorumState.isr[x] = (x = r) endforall)
  ==>
  var isr: ReplicaSet;
  begin
    isr := quorumState.isr;
    ControllerUpdateIsr(0, isr);
  end;

  rule "ControllerShrinkIsr: leader"
    nextLeaderEpoch <= MaxLeaderEpoch
    & quorumState.leader = r
    & !(forall x: Replica do quorumState.isr[x] = (x = r) endforall)
  ==>
  var isr: ReplicaSet;
  begin
    isr := quorumState.isr;
    isr[r] := false;
    ControllerUpdateIsr(0, isr);
  end;

  rule "ControllerShrinkIsr: other member"
    nextLeaderEpoch <= MaxLeaderEpoch
    & quorumState.leader != r
    & quorumState.isr[r]
  ==>
  var isr: ReplicaSet;
  var l: ReplicaOpt;
  begin
    isr := quorumState.isr;
    isr[r] := false;
    l := quorumState.leader;
    ControllerUpdateIsr(l, isr);
  end;
end;

-- BecomeLeader == \E leaderAndIsrRequest \in leaderAndIsrRequests : ...
ruleset e: Epoch do
  rule "BecomeLeader"
    e < nextLeaderEpoch
    & requests[e].leader != 0
    & e > replicaState[requests[e].leader].leaderEpoch
  ==>
  var l: Replica;
  begin
    l := requests[e].leader;
    -- hw kept
    replicaState[l].leaderEpoch := e;
    replicaState[l].leader := l;
    replicaState[l].isr := requests[e].isr;
  end;
end;

-- LeaderWrite == \E replica, id \in RecordSeq!IdSet, offset \in Offsets :
-- id and offset are determined (nextRecordId, the end offset).
ruleset r: Replica do
  rule "LeaderWrite"
    PresumesLeadership(r)
    & nextRecordId <= MaxRecords - 1
    & !IsFull(r)
  ==>
  var o: Offset;
  begin
    o := replicaLog[r].endOffset;
    replicaLog[r].records[o].id := nextRecordId;
    replicaLog[r].records[o].epoch := replicaState[r].leaderEpoch;
    replicaLog[r].endOffset := o + 1;
    nextRecordId := nextRecordId + 1;
  end;
end;

-- SetIsrMember: the leader asks the quorum for its ISR with f in or out.
procedure SetIsrMember(l: Replica; f: Replica; member: boolean);
var isr: ReplicaSet;
begin
  isr := replicaState[l].isr;
  isr[f] := member;
  QuorumUpdateLeaderAndIsr(l, isr);
end;

-- FencedLeaderExpandIsr == \E leader : \E follower \in Replicas \ isr : ...
ruleset l: Replica; f: Replica do
  rule "FencedLeaderExpandIsr"
    !replicaState[l].isr[f]
    & IsFollowingLeaderEpoch(l, f)
    & HasFollowerReachedHighWatermark(l, f)
    & HasHighWatermarkReachedCurrentEpoch(l)
    & CanUpdateQuorum(l)
  ==>
  begin
    SetIsrMember(l, f, true);
  end;
end;

-- FencedLeaderShrinkIsr == \E leader : \E follower \in isr \ {leader} :
--   (~IsFollowingLeaderEpoch \/ endOffset(follower) < endOffset(leader)) /\ ...
-- Both disjuncts can hold at once; TLC then generates the successor twice.
ruleset l: Replica; f: Replica do
  rule "FencedLeaderShrinkIsr: not following leader epoch"
    f != l
    & replicaState[l].isr[f]
    & !IsFollowingLeaderEpoch(l, f)
    & CanUpdateQuorum(l)
  ==>
  begin
    SetIsrMember(l, f, false);
  end;

  rule "FencedLeaderShrinkIsr: lagging"
    f != l
    & replicaState[l].isr[f]
    & replicaLog[f].endOffset < replicaLog[l].endOffset
    & CanUpdateQuorum(l)
  ==>
  begin
    SetIsrMember(l, f, false);
  end;
end;

-- FencedLeaderIncHighWatermark == \E leader \in Replicas : ...
-- (does not require the replica to presume leadership)
ruleset l: Replica do
  rule "FencedLeaderIncHighWatermark"
    HasOffset(l, replicaState[l].hw)
    & (forall f: Replica do
         replicaState[l].isr[f] ->
           (IsFollowingLeaderEpoch(l, f) & HasOffset(f, replicaState[l].hw))
       endforall)
  ==>
  begin
    replicaState[l].hw := replicaState[l].hw + 1;
  end;
end;

-- FencedBecomeFollowerAndTruncate == \E leader, replica \in Replicas,
--   leaderAndIsrRequest \in leaderAndIsrRequests : ...
-- leader ranges over Replicas, so its "leader = None" disjunct never holds.
ruleset l: Replica; r: Replica; e: Epoch do
  rule "FencedBecomeFollowerAndTruncate"
    l != r
    & e < nextLeaderEpoch
    & requests[e].leader = l
    & e > replicaState[r].leaderEpoch
    & PresumesLeadership(l)
    & replicaState[l].leaderEpoch = e
    & FirstNonMatchingOffsetFromTail(l, r) <= replicaLog[r].endOffset
  ==>
  var off: EndOffset;
  var hw: EndOffset;
  begin
    off := FirstNonMatchingOffsetFromTail(l, r);
    hw := replicaState[r].hw;
    if off < hw then hw := off; end;
    TruncateTo(r, off);
    replicaState[r].leaderEpoch := e;
    replicaState[r].leader := l;
    replicaState[r].isr := requests[e].isr;
    replicaState[r].hw := hw;
  end;
end;

-- FencedFollowerFetch == \E follower, leader \in Replicas : ...
ruleset f: Replica; l: Replica do
  rule "FencedFollowerFetch"
    IsFollowingLeaderEpoch(l, f)
    & !IsFull(f)
    & HasOffset(l, replicaLog[f].endOffset)
  ==>
  var o: Offset;
  var hw: EndOffset;
  begin
    o := replicaLog[f].endOffset;
    -- Min({leaderHw, endOffset(follower) + 1}), in the unprimed state
    hw := replicaState[l].hw;
    if o + 1 < hw then hw := o + 1; end;
    replicaLog[f].records[o] := replicaLog[l].records[o];
    replicaLog[f].endOffset := o + 1;
    replicaState[f].hw := hw;
  end;
end;

------------------------------------------------------------------------------
-- KafkaReplication StrongIsr

invariant "StrongIsr"
  forall r1: Replica do
    PresumesLeadership(r1) ->
      forall r2: Replica do
        quorumState.isr[r2] ->
          forall o: Offset do
            o < replicaState[r1].hw ->
              (HasOffset(r1, o) & HasOffset(r2, o) & SameRecord(r1, r2, o))
          endforall
      endforall
  endforall;
