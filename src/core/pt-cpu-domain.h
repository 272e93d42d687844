/* pt-cpu-domain.h: the CPU parts of a libvirt domain for a PtCpuPlan, built as libxml2 nodes. */
#pragma once

#include <libxml/tree.h>

#include "pt-cpu-planner.h"

G_BEGIN_DECLS

/*
 * Each appends one new element to @parent (a <domain> element) and returns it; the domain
 * editor decides where existing ones go. Lists of host CPUs are cpulists ("0,6", "3-5").
 */

/* <vcpu placement='static'>6</vcpu> */
xmlNode *pt_cpu_domain_add_vcpu      (xmlNode         *parent,
                                      const PtCpuPlan *plan);
/* <iothreads>1</iothreads> */
xmlNode *pt_cpu_domain_add_iothreads (xmlNode         *parent,
                                      const PtCpuPlan *plan);
/* <cputune> with a <vcpupin vcpu='i' cpuset='c'/> per vCPU, <emulatorpin cpuset=…/> and
 * <iothreadpin iothread='1' cpuset=…/> */
xmlNode *pt_cpu_domain_add_cputune   (xmlNode         *parent,
                                      const PtCpuPlan *plan);
/* <cpu mode='host-passthrough' check='none' migratable='on'> with
 * <topology sockets='1' dies='1' cores='C' threads='T'/>, <cache mode='passthrough'/> and, on
 * AMD, <feature policy='require' name='topoext'/> */
xmlNode *pt_cpu_domain_add_cpu       (xmlNode         *parent,
                                      const PtCpuPlan *plan);
/* All four, in the order libvirt itself writes them. */
void     pt_cpu_domain_add_all       (xmlNode         *parent,
                                      const PtCpuPlan *plan);
/* The four elements as indented XML text, one after the other, for tests and the review. */
char    *pt_cpu_domain_to_string     (const PtCpuPlan *plan);

G_END_DECLS
