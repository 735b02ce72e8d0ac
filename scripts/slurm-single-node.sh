#!/usr/bin/env bash
# Starts a real Slurm cluster of one node on this machine (munge and slurm-wlm from Debian), for
# the tests of `winnow slurm` and for trying it out. Needs root. Does nothing when Slurm already
# answers (sinfo). Stop it with `scontrol shutdown` (and `pkill munged`).
# Set-up checked on Debian 12, 2 cores; see docs/cluster.md.
set -euo pipefail
if sinfo -h >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != 0 ]; then echo "slurm-single-node: needs root" >&2; exit 1; fi
if ! command -v slurmctld >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends slurm-wlm munge >/dev/null 2>&1 \
    || { apt-get update >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends slurm-wlm munge >/dev/null 2>&1; }
fi
mkdir -p /etc/munge /var/log/munge /run/munge /var/lib/munge
[ -f /etc/munge/munge.key ] || dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null
chown -R munge:munge /etc/munge /var/log/munge /run/munge /var/lib/munge
chmod 400 /etc/munge/munge.key
chmod 700 /etc/munge
pgrep -x munged >/dev/null || su -s /bin/sh munge -c /usr/sbin/munged
host=$(hostname -s)
cpus=$(nproc)
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=local
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
# A job whose dependency can never be met (a failed phase) is cancelled rather than left pending.
DependencyParameters=kill_invalid_depend
NodeName=$host CPUs=$cpus RealMemory=8000 State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
# cgroup v2 fails on these machines ("Hybrid mode is not supported"); v1 works.
printf 'CgroupPlugin=cgroup/v1\nIgnoreSystemd=yes\nConstrainCores=no\nConstrainRAMSpace=no\n' > /etc/slurm/cgroup.conf
pgrep -x slurmctld >/dev/null || slurmctld
pgrep -x slurmd >/dev/null || slurmd
for _ in $(seq 1 30); do
  if sinfo -h -o %T 2>/dev/null | grep -qE 'idle|mixed|alloc'; then exit 0; fi
  sleep 1
done
echo "slurm-single-node: the node did not become idle; see /var/log/slurm/" >&2
exit 1
