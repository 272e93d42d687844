/* pt-cpu-domain.c: writes a CPU plan as libvirt domain XML elements (vcpu, iothreads, cputune,
 * cpu) with libxml2, so the domain editor can put them into a new or an existing domain. */
#include "config.h"

#include "pt-cpu-domain.h"

static xmlChar *
to_xml (const char *text)
{
  return (xmlChar *) text;
}

static void
set_prop (xmlNode    *node,
          const char *name,
          const char *value)
{
  xmlSetProp (node, to_xml (name), to_xml (value));
}

static void
set_uint_prop (xmlNode    *node,
               const char *name,
               guint       value)
{
  char text[16];

  g_snprintf (text, sizeof text, "%u", value);
  set_prop (node, name, text);
}

/* cpulist of a sorted CPU array: "0,6" */
static void
set_cpuset_prop (xmlNode *node,
                 GArray  *cpus)
{
  g_autofree char *cpuset = pt_format_cpu_list (cpus);

  set_prop (node, "cpuset", cpuset);
}

xmlNode *
pt_cpu_domain_add_vcpu (xmlNode         *parent,
                        const PtCpuPlan *plan)
{
  char count[16];
  xmlNode *vcpu;

  g_return_val_if_fail (parent != NULL && plan != NULL, NULL);

  g_snprintf (count, sizeof count, "%u", plan->vcpus->len);
  vcpu = xmlNewChild (parent, NULL, to_xml ("vcpu"), to_xml (count));
  /* Pinned by cputune below, not placed by numad. */
  set_prop (vcpu, "placement", "static");
  return vcpu;
}

xmlNode *
pt_cpu_domain_add_iothreads (xmlNode         *parent,
                             const PtCpuPlan *plan)
{
  g_return_val_if_fail (parent != NULL && plan != NULL, NULL);

  /* One I/O thread, for the guest's virtio disks, pinned next to the emulator. */
  return xmlNewChild (parent, NULL, to_xml ("iothreads"), to_xml ("1"));
}

xmlNode *
pt_cpu_domain_add_cputune (xmlNode         *parent,
                           const PtCpuPlan *plan)
{
  xmlNode *cputune;
  xmlNode *pin;

  g_return_val_if_fail (parent != NULL && plan != NULL, NULL);

  cputune = xmlNewChild (parent, NULL, to_xml ("cputune"), NULL);
  for (guint i = 0; i < plan->vcpus->len; i++)
    {
      pin = xmlNewChild (cputune, NULL, to_xml ("vcpupin"), NULL);
      set_uint_prop (pin, "vcpu", i);
      set_uint_prop (pin, "cpuset", g_array_index (plan->vcpus, guint, i));
    }
  pin = xmlNewChild (cputune, NULL, to_xml ("emulatorpin"), NULL);
  set_cpuset_prop (pin, plan->emulator);
  pin = xmlNewChild (cputune, NULL, to_xml ("iothreadpin"), NULL);
  set_prop (pin, "iothread", "1");
  set_cpuset_prop (pin, plan->iothreads);
  return cputune;
}

xmlNode *
pt_cpu_domain_add_cpu (xmlNode         *parent,
                       const PtCpuPlan *plan)
{
  xmlNode *cpu;
  xmlNode *child;

  g_return_val_if_fail (parent != NULL && plan != NULL, NULL);

  cpu = xmlNewChild (parent, NULL, to_xml ("cpu"), NULL);
  set_prop (cpu, "mode", "host-passthrough");
  set_prop (cpu, "check", "none");
  set_prop (cpu, "migratable", "on");

  child = xmlNewChild (cpu, NULL, to_xml ("topology"), NULL);
  set_uint_prop (child, "sockets", plan->sockets);
  set_uint_prop (child, "dies", plan->dies);
  set_uint_prop (child, "cores", plan->cores);
  set_uint_prop (child, "threads", plan->threads);

  /* The host's cache sizes, so that games size their work to the real L3. */
  child = xmlNewChild (cpu, NULL, to_xml ("cache"), NULL);
  set_prop (child, "mode", "passthrough");

  if (plan->topoext)
    {
      /* Without it an AMD guest sees no SMT siblings and Windows counts each thread a core. */
      child = xmlNewChild (cpu, NULL, to_xml ("feature"), NULL);
      set_prop (child, "policy", "require");
      set_prop (child, "name", "topoext");
    }
  return cpu;
}

void
pt_cpu_domain_add_all (xmlNode         *parent,
                       const PtCpuPlan *plan)
{
  pt_cpu_domain_add_vcpu (parent, plan);
  pt_cpu_domain_add_iothreads (parent, plan);
  pt_cpu_domain_add_cputune (parent, plan);
  pt_cpu_domain_add_cpu (parent, plan);
}

char *
pt_cpu_domain_to_string (const PtCpuPlan *plan)
{
  xmlDoc *doc;
  xmlNode *domain;
  xmlBuffer *buffer;
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (plan != NULL, NULL);

  doc = xmlNewDoc (to_xml ("1.0"));
  domain = xmlNewDocNode (doc, NULL, to_xml ("domain"), NULL);
  xmlDocSetRootElement (doc, domain);
  pt_cpu_domain_add_all (domain, plan);

  buffer = xmlBufferCreate ();
  for (xmlNode *child = domain->children; child != NULL; child = child->next)
    {
      xmlBufferEmpty (buffer);
      xmlNodeDump (buffer, doc, child, 1, 1);
      g_string_append (text, "  ");
      g_string_append (text, (const char *) xmlBufferContent (buffer));
      g_string_append_c (text, '\n');
    }
  xmlBufferFree (buffer);
  xmlFreeDoc (doc);
  return g_string_free (text, FALSE);
}
