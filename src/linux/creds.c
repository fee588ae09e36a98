/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "linux/creds.h"

#include <errno.h>
#include <grp.h>
#include <unistd.h>

int nb_creds_apply(const struct nb_config *cfg, bool setgroups_denied, struct nb_error *err)
{
	bool userns = cfg->ns[NB_NS_USER].mode == NB_NS_NEW;
	bool change = cfg->set_uid || cfg->set_gid || cfg->set_groups;
	uid_t uid = cfg->set_uid ? cfg->uid : 0;
	gid_t gid = cfg->set_gid ? cfg->gid : 0;

	if (!change && !userns)
		return 0;
	if (cfg->set_groups) {
		if (setgroups_denied)
			return nb_error_set(err, EPERM, "--groups: setgroups is denied in this user namespace "
					    "(map groups with --map-groups through newgidmap)");
		if (setgroups(cfg->n_groups, cfg->groups) < 0)
			return nb_error_errno(err, "--groups: setgroups");
	} else if (!setgroups_denied && change && setgroups(0, NULL) < 0) {
		return nb_error_errno(err, "drop supplementary groups");
	}
	if ((cfg->set_gid || userns) && setresgid(gid, gid, gid) < 0)
		return nb_error_errno(err, "--gid %u: setgid", (unsigned)gid);
	if ((cfg->set_uid || userns) && setresuid(uid, uid, uid) < 0)
		return nb_error_errno(err, "--uid %u: setuid", (unsigned)uid);
	return 0;
}
