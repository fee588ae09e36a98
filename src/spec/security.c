/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Names of capabilities, rlimits and seccomp terms; freeing the plan's extras. */
#include "spec/security.h"
#include "base/cleanup.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>

static const char *const cap_names[NB_CAP_LAST + 1] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
	"CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
	"CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
	"CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
	"CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
	"CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE",
	"CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
	"CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
};

int nb_cap_from_name(const char *name, int *ret)
{
	const char *bare = strncasecmp(name, "CAP_", 4) == 0 ? name + 4 : name;

	for (int i = 0; i <= NB_CAP_LAST; i++) {
		if (strcasecmp(cap_names[i] + 4, bare) == 0) {
			*ret = i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *nb_cap_name(int cap)
{
	return cap >= 0 && cap <= NB_CAP_LAST ? cap_names[cap] : NULL;
}

static const struct { const char *name; int value; } rlimits[] = {
	{ "RLIMIT_AS", RLIMIT_AS }, { "RLIMIT_CORE", RLIMIT_CORE }, { "RLIMIT_CPU", RLIMIT_CPU },
	{ "RLIMIT_DATA", RLIMIT_DATA }, { "RLIMIT_FSIZE", RLIMIT_FSIZE },
	{ "RLIMIT_LOCKS", RLIMIT_LOCKS }, { "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
	{ "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE }, { "RLIMIT_NICE", RLIMIT_NICE },
	{ "RLIMIT_NOFILE", RLIMIT_NOFILE }, { "RLIMIT_NPROC", RLIMIT_NPROC },
	{ "RLIMIT_RSS", RLIMIT_RSS }, { "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
	{ "RLIMIT_RTTIME", RLIMIT_RTTIME }, { "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
	{ "RLIMIT_STACK", RLIMIT_STACK },
};

const char *nb_rlimit_name(int resource)
{
	for (size_t i = 0; i < NB_ARRAY_SIZE(rlimits); i++)
		if (rlimits[i].value == resource)
			return rlimits[i].name;
	return NULL;
}

int nb_rlimit_from_name(const char *name, int *ret)
{
	for (size_t i = 0; i < NB_ARRAY_SIZE(rlimits); i++) {
		if (strcmp(rlimits[i].name, name) == 0) {
			*ret = rlimits[i].value;
			return 0;
		}
	}
	return -EINVAL;
}

static const char *const seccomp_action_names[] = {
	[NB_SECCOMP_KILL_THREAD] = "SCMP_ACT_KILL_THREAD",
	[NB_SECCOMP_KILL_PROCESS] = "SCMP_ACT_KILL_PROCESS",
	[NB_SECCOMP_TRAP] = "SCMP_ACT_TRAP", [NB_SECCOMP_ERRNO] = "SCMP_ACT_ERRNO",
	[NB_SECCOMP_TRACE] = "SCMP_ACT_TRACE", [NB_SECCOMP_ALLOW] = "SCMP_ACT_ALLOW",
	[NB_SECCOMP_LOG] = "SCMP_ACT_LOG", [NB_SECCOMP_NOTIFY] = "SCMP_ACT_NOTIFY",
};

static const char *const seccomp_op_names[] = {
	[NB_SECCOMP_OP_NE] = "SCMP_CMP_NE", [NB_SECCOMP_OP_LT] = "SCMP_CMP_LT",
	[NB_SECCOMP_OP_LE] = "SCMP_CMP_LE", [NB_SECCOMP_OP_EQ] = "SCMP_CMP_EQ",
	[NB_SECCOMP_OP_GE] = "SCMP_CMP_GE", [NB_SECCOMP_OP_GT] = "SCMP_CMP_GT",
	[NB_SECCOMP_OP_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
};

int nb_seccomp_action_from_name(const char *name, enum nb_seccomp_action *ret)
{
	if (strcmp(name, "SCMP_ACT_KILL") == 0) {   /* the spec's alias of KILL_THREAD */
		*ret = NB_SECCOMP_KILL_THREAD;
		return 0;
	}
	for (size_t i = 0; i < NB_ARRAY_SIZE(seccomp_action_names); i++) {
		if (strcmp(seccomp_action_names[i], name) == 0) {
			*ret = (enum nb_seccomp_action)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *nb_seccomp_action_name(enum nb_seccomp_action action)
{
	return (size_t)action < NB_ARRAY_SIZE(seccomp_action_names) ? seccomp_action_names[action]
								     : NULL;
}

int nb_seccomp_op_from_name(const char *name, enum nb_seccomp_op *ret)
{
	for (size_t i = 0; i < NB_ARRAY_SIZE(seccomp_op_names); i++) {
		if (strcmp(seccomp_op_names[i], name) == 0) {
			*ret = (enum nb_seccomp_op)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *nb_seccomp_op_name(enum nb_seccomp_op op)
{
	return (size_t)op < NB_ARRAY_SIZE(seccomp_op_names) ? seccomp_op_names[op] : NULL;
}

const char *nb_hook_kind_name(enum nb_hook_kind kind)
{
	static const char *const names[NB_HOOK_COUNT] = {
		[NB_HOOK_PRESTART] = "prestart", [NB_HOOK_CREATE_RUNTIME] = "createRuntime",
		[NB_HOOK_CREATE_CONTAINER] = "createContainer",
		[NB_HOOK_START_CONTAINER] = "startContainer", [NB_HOOK_POSTSTART] = "poststart",
		[NB_HOOK_POSTSTOP] = "poststop",
	};

	return kind < NB_HOOK_COUNT ? names[kind] : "?";
}

void nb_seccomp_free(struct nb_seccomp *sc)
{
	nb_strv_free(&sc->architectures);
	nb_strv_free(&sc->flags);
	free(sc->listener_path);
	free(sc->listener_metadata);
	for (size_t i = 0; i < sc->n_rules; i++)
		nb_strv_free(&sc->rules[i].names);
	free(sc->rules);
	memset(sc, 0, sizeof(*sc));
}

void nb_security_free(struct nb_security *sec)
{
	free(sec->rlimits);
	free(sec->apparmor_profile);
	free(sec->selinux_label);
	nb_seccomp_free(&sec->seccomp);
	memset(sec, 0, sizeof(*sec));
}

void nb_oci_extras_free(struct nb_oci_extras *x)
{
	for (int k = 0; k < NB_HOOK_COUNT; k++) {
		for (size_t i = 0; i < x->n_hooks[k]; i++) {
			free(x->hooks[k][i].path);
			nb_strv_free(&x->hooks[k][i].args);
			nb_strv_free(&x->hooks[k][i].env);
		}
		free(x->hooks[k]);
	}
	for (size_t i = 0; i < x->n_devices; i++)
		free(x->devices[i].path);
	free(x->devices);
	nb_strv_free(&x->sysctl);
	nb_strv_free(&x->masked_paths);
	nb_strv_free(&x->readonly_paths);
	nb_strv_free(&x->annotations);
	free(x->notify_dir);
	free(x->domainname);
	free(x->mount_label);
	free(x->cgroups_path);
	free(x->cgroup_parent);
	nb_resources_free(&x->resources);
	free(x->netdevs);
	memset(x, 0, sizeof(*x));
	nb_resources_init(&x->resources);
}
