#!/usr/bin/env python3
# Write the seed corpus of tests/fuzz (tests/fuzz/README.md): the engines'
# fixtures (tests/fixtures/engines, tests/unit/data) where they fit, and
# small hand-made inputs for each parser. Run from anywhere; it rewrites
# tests/fuzz/corpus/NAME/seed-* and leaves other files (crash
# reproducers, regression-*) alone.
#   tests/fuzz/make-corpus.py
import glob
import json
import os
import shlex
import shutil
import struct

top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
corpus = os.path.join(top, 'tests', 'fuzz', 'corpus')
engines = os.path.join(top, 'tests', 'fixtures', 'engines')
unit_data = os.path.join(top, 'tests', 'unit', 'data')


def put(name, seed, data):
    d = os.path.join(corpus, name)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, 'seed-' + seed), 'wb') as f:
        f.write(data)


def argv(args):
    return b'\0'.join(a.encode() if isinstance(a, str) else a for a in args)


def clean():
    for f in glob.glob(os.path.join(corpus, '*', 'seed-*')):
        os.unlink(f)


def fixture(*path):
    with open(os.path.join(engines, *path), 'rb') as f:
        return f.read()


def compact(data):
    """A fixture's JSON on one line: same document, a third smaller."""
    return json.dumps(json.loads(data), separators=(',', ':'))


clean()

# ---- config.json: real engines' documents, and hand-made corners.
for path in ['cri/container-restricted.json', 'cri/container-resources.json',
             'cri/container-privileged.json', 'cri/sandbox-podnet.json',
             'ctr/run-memory-limit.json', 'podman/run-restricted.json',
             'podman/rootless-run-rm.json', 'podman/run-detach-resources.json']:
    put('oci-config', path.replace('/', '-'), compact(fixture(path)))

minimal = {
    'ociVersion': '1.2.0', 'root': {'path': 'rootfs', 'readonly': True},
    'process': {'args': ['sh'], 'cwd': '/', 'env': ['PATH=/bin'], 'terminal': False,
                'user': {'uid': 0, 'gid': 0}},
    'linux': {'namespaces': [{'type': t} for t in ['pid', 'mount', 'ipc', 'uts', 'network']]},
}
put('oci-config', 'minimal', json.dumps(minimal))
full = json.loads(json.dumps(minimal))
full['hostname'] = 'box'
full['domainname'] = 'example'
full['annotations'] = {'a': 'b', 'k=v': 'x'}
full['hooks'] = {
    'prestart': [{'path': '/bin/true', 'args': ['true', '1'], 'env': ['A=1'], 'timeout': 5}],
    'createRuntime': [{'path': '/bin/true'}], 'poststop': [{'path': '/bin/true'}],
}
full['mounts'] = [
    {'destination': '/proc', 'type': 'proc', 'source': 'proc'},
    {'destination': '/tmp', 'type': 'tmpfs', 'source': 'tmpfs',
     'options': ['nosuid', 'nodev', 'mode=1777', 'size=65536k', 'tmpcopyup']},
    {'destination': '/data', 'type': 'bind', 'source': 'data',
     'options': ['rbind', 'ro', 'rprivate', 'nosymfollow', 'ridmap'],
     'uidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 1}],
     'gidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 1}]},
    {'destination': '/sys/fs/cgroup', 'type': 'cgroup', 'source': 'cgroup',
     'options': ['ro', 'nosuid', 'noexec', 'nodev', 'relatime']},
    {'destination': '/mnt', 'type': 'overlay', 'source': 'overlay',
     'options': ['lowerdir=/a:/b', 'upperdir=/u', 'workdir=/w', 'strictatime', 'sync']},
]
full['process'].update({
    'terminal': True, 'consoleSize': {'height': 24, 'width': 80},
    'user': {'uid': 1000, 'gid': 1000, 'umask': 18, 'additionalGids': [5, 6]},
    'capabilities': {k: ['CAP_CHOWN', 'CAP_NET_BIND_SERVICE'] for k in
                     ['bounding', 'effective', 'permitted', 'inheritable', 'ambient']},
    'rlimits': [{'type': 'RLIMIT_NOFILE', 'soft': 1024, 'hard': 4096},
                {'type': 'RLIMIT_CORE', 'soft': 18446744073709551615, 'hard': 18446744073709551615}],
    'noNewPrivileges': True, 'oomScoreAdj': -500, 'apparmorProfile': 'p', 'selinuxLabel': 'l',
    'ioPriority': {'class': 'IOPRIO_CLASS_BE', 'priority': 4},
    'scheduler': {'policy': 'SCHED_OTHER', 'nice': 5},
})
full['linux'].update({
    'namespaces': [{'type': 'user'}, {'type': 'pid'}, {'type': 'mount'}, {'type': 'cgroup'},
                   {'type': 'ipc'}, {'type': 'uts'},
                   {'type': 'time'}, {'type': 'network', 'path': '/proc/1/ns/net'}],
    'uidMappings': [{'containerID': 0, 'hostID': 100000, 'size': 65536}],
    'gidMappings': [{'containerID': 0, 'hostID': 100000, 'size': 65536}],
    'timeOffsets': {'monotonic': {'secs': -3600, 'nanosecs': 5}, 'boottime': {'secs': 10}},
    'devices': [{'path': '/dev/fuse', 'type': 'c', 'major': 10, 'minor': 229, 'fileMode': 438,
                 'uid': 0, 'gid': 0}],
    'sysctl': {'net.ipv4.ip_forward': '1', 'kernel/shmmax': '65536', 'fs.mqueue.msg_max': '10'},
    'maskedPaths': ['/proc/kcore'], 'readonlyPaths': ['/proc/sys'],
    'rootfsPropagation': 'rslave', 'cgroupsPath': '/nsbox/fuzz', 'mountLabel': 'm',
    'personality': {'domain': 'LINUX32'},
    'resources': {
        'memory': {'limit': 67108864, 'reservation': 33554432, 'swap': 134217728, 'swappiness': 10,
                   'disableOOMKiller': False, 'checkBeforeUpdate': True},
        'cpu': {'shares': 512, 'quota': 50000, 'period': 100000, 'burst': 1000, 'cpus': '0-1',
                'mems': '0', 'realtimeRuntime': 0, 'realtimePeriod': 0, 'idle': 0},
        'pids': {'limit': 100},
        'blockIO': {'weight': 500, 'leafWeight': 300,
                    'weightDevice': [{'major': 8, 'minor': 0, 'weight': 200}],
                    'throttleReadBpsDevice': [{'major': 8, 'minor': 0, 'rate': 1048576}],
                    'throttleWriteIOPSDevice': [{'major': 8, 'minor': 0, 'rate': 100}]},
        'hugepageLimits': [{'pageSize': '2MB', 'limit': 2097152}],
        'network': {'classID': 1048577, 'priorities': [{'name': 'eth0', 'priority': 5}]},
        'rdma': {'mlx5_1': {'hcaHandles': 3, 'hcaObjects': 10000}},
        'unified': {'memory.high': '50000000', 'io.weight': 'default 100'},
        'devices': [{'allow': False, 'access': 'rwm'},
                    {'allow': True, 'type': 'c', 'major': 1, 'minor': 3, 'access': 'rw'},
                    {'allow': True, 'type': 'b', 'major': 8, 'access': 'r'}],
    },
    'seccomp': {
        'defaultAction': 'SCMP_ACT_ERRNO', 'defaultErrnoRet': 38,
        'architectures': ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'],
        'flags': ['SECCOMP_FILTER_FLAG_LOG'],
        'syscalls': [
            {'names': ['read', 'write', 'exit_group'], 'action': 'SCMP_ACT_ALLOW'},
            {'names': ['personality'], 'action': 'SCMP_ACT_ALLOW',
             'args': [{'index': 0, 'value': 8, 'op': 'SCMP_CMP_EQ'}]},
            {'names': ['clone'], 'action': 'SCMP_ACT_ALLOW',
             'args': [{'index': 0, 'value': 2114060288, 'valueTwo': 0, 'op': 'SCMP_CMP_MASKED_EQ'}]},
            {'names': ['ptrace'], 'action': 'SCMP_ACT_KILL_PROCESS'},
            {'names': ['mount'], 'action': 'SCMP_ACT_ERRNO', 'errnoRet': 1},
        ],
    },
})
put('oci-config', 'full', json.dumps(full))
# Integers above INT64_MAX (kept exact), nulls, and a wrong version.
put('oci-config', 'bigint', '{"ociVersion":"1.0.2","root":{"path":"/"},"process":{"args":["x"],'
    '"cwd":"/","user":{"uid":0,"gid":0},"rlimits":[{"type":"RLIMIT_AS","soft":18446744073709551615,"hard":'
    '18446744073709551615}]},"linux":{"seccomp":{"defaultAction":"SCMP_ACT_ALLOW","syscalls":'
    '[{"names":["ioctl"],"action":"SCMP_ACT_ERRNO","args":[{"index":1,"value":'
    '9223372036854775808,"op":"SCMP_CMP_GE"}]}]}}}')
put('oci-config', 'nulls', '{"ociVersion":"1.2.0","root":{"path":"r"},"process":null,"linux":'
    '{"resources":null,"namespaces":null},"mounts":null,"hooks":null}')
put('oci-config', 'version', '{"ociVersion":"2.0.0","root":{"path":"r"}}')

# ---- exec process files.
for path in ['cri/exec-process.json', 'cri/exec-process-tty.json', 'ctr/exec-process.json',
             'podman/exec-process-tty.json']:
    put('oci-process', path.replace('/', '-'), compact(fixture(path)))
put('oci-process', 'full', json.dumps(full['process'] | {'user': {'uid': 5, 'gid': 5}}))
put('oci-process', 'minimal', '{"args":["ls","-l"],"cwd":"/tmp"}')
put('oci-process', 'user', '{"args":["id"],"cwd":"/","user":{"uid":4294967295,"gid":0},'
    '"env":["A=1","A=2","=x"]}')

# ---- seccomp profiles.
for path in glob.glob(os.path.join(unit_data, 'seccomp', '*.json')):
    with open(path, 'rb') as f:
        put('seccomp', os.path.basename(path), compact(f.read()))
put('seccomp', 'full', json.dumps(full['linux']['seccomp']))
put('seccomp', 'notify', '{"defaultAction":"SCMP_ACT_ALLOW","listenerPath":"/run/l.sock",'
    '"listenerMetadata":"m","syscalls":[{"names":["mkdir","openat2"],"action":"SCMP_ACT_NOTIFY"},'
    '{"names":["bogus_call"],"action":"SCMP_ACT_LOG"},{"names":["kill"],"action":"SCMP_ACT_TRACE",'
    '"errnoRet":3},{"names":["setns","unshare"],"action":"SCMP_ACT_ERRNO","args":['
    '{"index":0,"value":1,"op":"SCMP_CMP_NE"},{"index":0,"value":2,"op":"SCMP_CMP_LT"},'
    '{"index":5,"value":2,"op":"SCMP_CMP_LE"},{"index":2,"value":2,"op":"SCMP_CMP_GT"}]}]}')
put('seccomp', 'docker', '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],'
    '"action":"SCMP_ACT_ALLOW","includes":{"caps":["CAP_SYS_ADMIN"]}}]}')

# ---- linux.resources of its own (update -r).
put('resources', 'cri-update', compact(fixture('cri/update-resources.json')))
put('resources', 'full', json.dumps(full['linux']['resources']))
for path in ['cri/container-resources.json', 'podman/run-detach-resources.json']:
    doc = json.loads(fixture(path))
    put('resources', path.replace('/', '-'), json.dumps(doc['linux']['resources']))
put('resources', 'unlimited', '{"memory":{"limit":-1,"swap":-1},"pids":{"limit":0},'
    '"cpu":{"quota":-1,"shares":0}}')
put('resources', 'kernel', '{"memory":{"kernel":1048576,"kernelTCP":1048576,"useHierarchy":true}}')

# ---- cgroup values: a cpuset list, then unified key=value lines.
for i, text in enumerate(['0-3,8,10-11\nmemory.high=1000000\ncpu.max=50000 100000',
                          '0\ncgroup.freeze=1\nmemory.max=max',
                          '1048575\nio.max=8:0 rbps=1048576\npids.max=10\nhugetlb.2MB.max=0',
                          '0-0,1-1\nrdma.max=mlx5_1 hca_handle=2\nmisc.max=x 1',
                          '3-1\ncpu.weight=100', '0-\ncgroup.procs=1', '1,,2\nfoo.bar=1']):
    put('cgroup-values', str(i), text)

# ---- mount specs: first byte even: --bind, odd: --tmpfs.
for i, text in enumerate(['/src:/dst', '/src:/dst:ro', '/a/b:/c/d:rw', 'rel:/x', '/s:/a/../b',
                          ':/d', '/s:', '/s:/d:rx']):
    put('mountspec', 'bind-' + str(i), b'\0' + text.encode())
for i, text in enumerate(['/tmp', '/tmp:size=64m', '/run:size=1048576', '/x:size=0', '/x:mode=1',
                          '/a/..:size=1g', 'tmp', '/t:size=1m,nr_inodes=1k,mode=0700',
                          '/t:nr_inodes=64', '/t:mode=8', '/t:size=1m,size=2m', '/t:size=1m,']):
    put('mountspec', 'tmpfs-' + str(i), b'\1' + text.encode())

# ---- id maps and ids.
put('idmap', 'one', '0:1000:1')
put('idmap', 'two', '0:100000:65536\n65536:200000:1000')
put('idmap', 'overlap', '0:1000:10\n5:2000:10')
put('idmap', 'edge', '4294967294:0:1\n0:4294967294:1')
put('idmap', 'user', '1000:1000\n0\n4294967295\n:5')

# ---- sysctl keys.
for i, key in enumerate(['net.ipv4.ip_forward', 'net/ipv4/conf/eth0.100/forwarding',
                         'kernel.shmmax', 'fs.mqueue.msg_max', 'kernel/hostname',
                         'kernel.domainname', 'net..x', 'net/../kernel', 'vm.swappiness']):
    put('sysctl', str(i), key)

# ---- /etc/passwd: 4 bytes of uid, then the file.
passwd = ('root:x:0:0:root:/root:/bin/sh\n'
          'daemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n'
          'user:x:1000:1000:User,,,:/home/user:/bin/bash\n'
          'nohome:x:1001:1001:::/bin/sh\n'
          'short:x:1002\n')
for uid in [0, 1000, 1001, 1002, 5]:
    put('passwd', 'uid' + str(uid), struct.pack('<I', uid) + passwd.encode())

# ---- signals.
for i, s in enumerate(['TERM', 'SIGKILL', 'sigusr1', '9', '64', 'RTMIN+3', 'SIGRTMAX-2', 'IOT',
                       'POLL', '0', 'RTMIN']):
    put('signal', str(i), s)

# ---- numbers, sizes, durations.
for i, s in enumerate(['4096', '64m', '1G', '1.5g', '512MiB', '100 kb', '1.5', '5s', '1h30m',
                       '250ms', '10us', '1.25e3', '18446744073709551615', '-1', '0.000001p',
                       '0-3,8', '2', '9223372036854775807', '\u00b5s']):
    put('sizes', str(i), s)

# ---- nsbox run command lines (first byte: even root, odd a user).
runs = [
    ['--', 'sh', '-c', 'echo hi'],
    ['--rootfs', '/tmp/rootfs', '--ro', '--bind', '/src:/dst:ro', '--tmpfs', '/run:size=64m',
     '--workdir', '/tmp', '--hostname', 'box', 'sh'],
    ['--userns', '--map-users', '0:1000:1', '--map-groups', '0:1000:1', '--uid', '0', '--gid', '0',
     '--groups', '0,1', 'id'],
    ['--share', 'net,ipc', '--join', 'uts:/proc/1/ns/uts', '--time-ns', 'true'],
    ['--netns', 'blue', '--env', 'A=1', '--clearenv', '--tty', '--no-init', 'sh'],
    ['--cap-add', 'NET_ADMIN', '--cap-drop', 'ALL', '--seccomp', 'unconfined', '--allow-new-privs',
     '--allow-suid', '--allow-devices', '--unmask', '/proc/kcore', 'sh'],
    ['--memory', '64m', '--memory-swap', '128m', '--cpus', '1.5', '--cpu-weight', '100',
     '--cpuset-cpus', '0-1', '--cpuset-mems', '0', '--pids', '64', '--io-weight', '500',
     '--cgroup-parent', '/nsbox', 'true'],
    ['--name', 'web', '--detach', '--seccomp', '/p.json', 'sleep', '1'],
    ['--bundle', '.', 'c1'], ['-d', '--pid-file', '/p', 'c1'], ['c1'], ['--help'],
    ['--propagation', 'shared', '--share', 'user', 'sh'], ['--tty=1'], ['--memory'],
    ['--net', 'pasta', '--tmpfs', '/tmp:size=1m', '--profile', 'judge', '--tmpfs', '/dev/shm/:size=2m',
     '--pids', '3', '--print-config', 'true'],
    ['--allow-suid', '--profile', 'ci', '--share', 'net', '--no-init', '--bind', '/a:/tmp', 'sh'],
    ['--time-limit', '1', '--profile', 'service', '--net', 'none', '--profile', 'x', 'sh'],
]
for i, args in enumerate(runs):
    put('run-args', str(i), bytes([i % 2]) + argv(args))

# ---- runc update flags.
updates = [
    ['--memory', '64m', '--memory-swap', '128m', '--memory-reservation', '32m', 'c1'],
    ['--cpu-quota', '50000', '--cpu-period', '100000', '--cpu-share', '512', '--cpuset-cpus', '0-1',
     '--cpuset-mems', '0', 'c1'],
    ['--pids-limit', '100', '--blkio-weight', '500', '--kernel-memory', '1m', 'c1'],
    ['--cpu-rt-runtime', '950000', '--cpu-rt-period', '1000000', 'c1'],
    ['-r', '-', 'c1'], ['--resources', '/r.json', '--memory', '1g', 'c1'], ['-h'],
    ['--memory', '-1', '--memory-swap', '-1', 'c1'], ['--memory', '1.5GiB', 'c1'],
]
for i, args in enumerate(updates):
    put('update-args', str(i), argv(args))

# ---- the other command lines: one byte for the parser, then the arguments;
# from the engines' calls (placeholders as captured), and by hand.
parser = {'nsbox': 0, 'start': 1, 'state': 1, 'pause': 1, 'resume': 1, 'create': 2, 'run': 2,
          'exec': 3, 'kill': 4, 'delete': 5, 'ps': 6, 'list': 7, 'events': 8, 'spec': 9}
seen = set()
for path in sorted(glob.glob(os.path.join(engines, '*', 'calls.txt'))):
    with open(path) as f:
        for line in f:
            if '@RUNTIME@' not in line:
                continue
            words = shlex.split(line.split('@RUNTIME@', 1)[1])
            cmd = next((i for i, w in enumerate(words) if w in parser), None)
            if cmd is None:
                continue
            sig = ' '.join(w if w.startswith('-') else 'X' for w in words)
            if sig in seen:
                continue
            seen.add(sig)
            put('cli-args', 'global-%d' % len(seen), bytes([0]) + argv(words))
            put('cli-args', '%s-%d' % (words[cmd], len(seen)),
                bytes([parser[words[cmd]]]) + argv(words[cmd + 1:]))
hand = [
    ('nsbox', ['--root', '/run/x', '--rootless', 'auto', '--debug', 'list']), ('nsbox', ['-v']),
    ('start', ['c1']), ('state', ['-h']),
    ('create', ['c1', '--bundle', '/b', '--console-socket', '/s', '--preserve-fds', '2']),
    ('exec', ['-t', '-e', 'A=1', '--cwd', '/', '-u', '1:1', '--cap', 'CAP_KILL', 'c1', '--', 'sh']),
    ('kill', ['--all', 'c1', 'SIGRTMIN+1']), ('delete', ['-f', 'c1']),
    ('ps', ['--format', 'table', 'c1']), ('list', ['-q', '--format', 'json']),
    ('events', ['--stats', '--interval', '500ms', 'c1']), ('spec', ['--rootless', '--bundle', '/b']),
]
for i, (cmd, args) in enumerate(hand):
    put('cli-args', 'hand-%d' % i, bytes([parser[cmd]]) + argv(args))

# ---- state.json as nsbox writes it.
state = {'ociVersion': '1.2.0', 'id': 'c1', 'status': 'created', 'pid': 4242, 'bundle': '/b',
         'annotations': {'io.kubernetes.cri.container-type': 'container'},
         'nsboxStartTime': 123456, 'nsboxOwnPidns': True, 'nsboxOwner': 0, 'nsboxNsPid': 4243,
         'nsboxNsStartTime': 123457, 'created': '2024-05-01T10:00:00.000000000Z',
         'nsboxCgroup': '/sys/fs/cgroup/nsbox/c1'}
put('state', 'created', json.dumps(state, separators=(',', ':')))
creating = dict(state, status='creating', nsboxCreating=True, nsboxCreatorPid=4000,
                nsboxCreatorStartTime=99)
put('state', 'creating', json.dumps(creating, separators=(',', ':')))
put('state', 'old', '{"id":"x","pid":1,"bundle":"","created":""}')
relative = dict(state, nsboxCgroup='/k/c1',
                nsboxCgroupPaths={'memory': '/process_api/a/k/c1', 'cpu,cpuacct': '/u/k/c1'})
put('state', 'cgroup-paths', json.dumps(relative, separators=(',', ':')))
put('state', 'hooks', '{"poststart":[{"path":"/bin/echo","args":["echo","started"],"timeout":5}],'
    '"poststop":[{"path":"/bin/true","args":[],"env":["A=1"],"timeout":0},{"path":"/x"}]}')

# ---- dictionaries: the words the parsers look for, from the source and the
# seed documents (libFuzzer's -dict=; scripts/fuzz.sh picks them).
import re


def literals(paths):
    words = set()
    for path in paths:
        with open(path) as f:
            for word in re.findall(r'"([A-Za-z_][A-Za-z0-9_.+:/-]{0,40})"', f.read()):
                words.add(word)
    return words


def json_keys(value, out):
    if isinstance(value, dict):
        for k, v in value.items():
            out.add(k)
            json_keys(v, out)
    elif isinstance(value, list):
        for v in value:
            json_keys(v, out)


def dict_file(name, words, comment):
    esc = lambda w: w.replace('\\', '\\\\').replace('"', '\\"')
    with open(os.path.join(top, 'tests', 'fuzz', name), 'w') as f:
        f.write('# %s\n# Written by tests/fuzz/make-corpus.py.\n' % comment)
        for w in sorted(words):
            f.write('"%s"\n' % esc(w))


src = os.path.join(top, 'src')
keys = set()
for path in glob.glob(os.path.join(corpus, 'oci-*', 'seed-*')) + \
        glob.glob(os.path.join(corpus, 'seccomp', 'seed-*')) + \
        glob.glob(os.path.join(corpus, 'resources', 'seed-*')):
    try:
        with open(path, 'rb') as f:
            json_keys(json.load(f), keys)
    except ValueError:
        pass
spec_words = literals(glob.glob(os.path.join(src, 'spec', 'oci*.c')) +
                      [os.path.join(src, 'spec', n) for n in
                       ['security.c', 'resources_check.c', 'sysctl.c']])
oci_words = {w for w in spec_words if ' ' not in w} | keys | {'"%s":' % k for k in keys}
oci_words |= {'18446744073709551615', '9223372036854775808', '-1', 'null', 'true', 'false', '1e3',
              '"\\u0000"', '4294967295', '[]', '{}'}
dict_file('oci.dict', oci_words, 'JSON keys and values of config.json, process files, seccomp '
          'profiles and linux.resources (fuzz-oci-config, -oci-process, -seccomp, -resources)')
arg_words = set()
for path in [os.path.join(src, 'spec', n) for n in
             ['run_args.c', 'update_args.c', 'cli_args.c', 'run_limits.c', 'run_security.c']]:
    with open(path) as f:
        text = f.read()
    arg_words |= {'--' + w for w in re.findall(r'\{ "([a-z][a-z-]+)", (?:no|required)_argument', text)}
    arg_words |= {'--' + w for w in re.findall(r'"([a-z][a-z-]+)", *(?:"|\n)', text)
                  if '-' in w or w in ('memory', 'cpus', 'pids')}
arg_words |= {'--', '-h', '-b', '-d', '-t', '-e', '-u', '-c', '-p', '-r', '-f', '-a', '-q', '-v', '=',
              'json', 'table', 'ALL', 'CAP_SYS_ADMIN', 'unconfined', 'TERM', 'SIGKILL', 'RTMIN+1',
              '0:1000:1', '/src:/dst:ro', '/tmp:size=64m', '64m', '1.5', '0-3', '-1', '500ms', 'user',
              'net', 'pid', 'mnt', 'uts', 'ipc', 'cgroup', 'time', 'private', 'slave', 'shared',
              'judge', 'ci', 'service', '/dev/shm', 'pasta', 'bridge'}
dict_file('args.dict', arg_words, 'options and values of the command lines '
          '(fuzz-run-args, -update-args, -cli-args)')
