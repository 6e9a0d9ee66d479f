"""The report's inline CSS and JavaScript (no network: everything ships in the one file).

The script builds every piece of result text with ``textContent``; it never parses data as HTML.
"""

CSS = """
body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}
.fail{background:#fdecea}.msg{border-left:4px solid #999;margin:4px 0;padding:4px 8px;white-space:pre-wrap}
.assistant{border-color:#36c}.user{border-color:#3a3}.tool{border-color:#c90}.system{border-color:#777}
.ok{color:#070}.bad{color:#b00}pre{background:#f5f5f5;padding:4px;white-space:pre-wrap;margin:2px 0}
.cards span{display:inline-block;margin-right:2em}.tick{font-family:monospace}
.int{color:#b00;font-weight:bold}.bc{color:#777;font-style:italic}#traj{margin-top:1em}
"""

JS = r"""
(function(){
'use strict';
function el(tag, text, cls){var e=document.createElement(tag);
  if(text!==undefined&&text!==null)e.textContent=String(text); if(cls)e.className=cls; return e;}
function js(v){return typeof v==='string'?v:JSON.stringify(v,null,2);}
var rows=Array.prototype.slice.call(document.querySelectorAll('#tasks tbody tr'));
var failOnly=document.getElementById('failonly'), sortSel=document.getElementById('sortby');
function refresh(){
  var key=sortSel.value, tb=document.querySelector('#tasks tbody');
  var sorted=rows.slice();
  if(key!=='order'){sorted.sort(function(a,b){var d=parseFloat(a.dataset[key])-parseFloat(b.dataset[key]);return key==='cost'?-d:d;});}
  sorted.forEach(function(r){r.hidden=failOnly.checked&&r.dataset.fail!=='1'; tb.appendChild(r);});
}
failOnly.addEventListener('change',refresh); sortSel.addEventListener('change',refresh);
async function load(idx){
  var b64=document.getElementById('t'+idx).textContent.trim();
  var bin=atob(b64), bytes=new Uint8Array(bin.length);
  for(var i=0;i<bin.length;i++)bytes[i]=bin.charCodeAt(i);
  var stream=new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return JSON.parse(await new Response(stream).text());
}
function section(parent,title){var s=el('section');s.appendChild(el('h3',title));parent.appendChild(s);return s;}
function renderMessages(box,msgs){
  (msgs||[]).forEach(function(m){
    var d=el('div',null,'msg '+(m.role||''));
    d.appendChild(el('b',(m.role||'?')+(m.turn_idx!=null?' #'+m.turn_idx:'')+': '));
    if(m.content)d.appendChild(el('span',m.content,'content'));
    (m.tool_calls||[]).forEach(function(tc){
      d.appendChild(el('div','tool call '+(tc.name||'')+' ('+(tc.id||'')+')'));
      d.appendChild(el('pre',js(tc.arguments),'args'));});
    (m.tool_messages||[]).forEach(function(tm){d.appendChild(el('pre',js(tm.content),'result'));});
    if(m.role==='tool'&&m.error)d.appendChild(el('div','error','bad'));
    box.appendChild(d);});
}
function check(box,label,ok,detail){
  var d=el('div');d.appendChild(el('span',ok===true?'\u2713 ':ok===false?'\u2717 ':'? ',ok===true?'ok':'bad'));
  d.appendChild(el('span',label));if(detail!==undefined&&detail!==null)d.appendChild(el('pre',js(detail)));box.appendChild(d);
}
function renderReward(box,ri){
  if(!ri){box.appendChild(el('p','not scored'));return;}
  box.appendChild(el('p','reward '+ri.reward+' basis '+js(ri.reward_basis||[])+' breakdown '+js(ri.reward_breakdown||{})));
  (ri.action_checks||[]).forEach(function(c){
    check(box,'action '+(c.action&&c.action.name)+' '+js(c.action&&c.action.arguments),c.action_match,
      c.action_match?null:{closest_call:c.closest_call});});
  (ri.communicate_checks||[]).forEach(function(c){check(box,'communicate: '+c.info,c.met,c.justification);});
  (ri.env_assertions||[]).forEach(function(c){check(box,'env assertion '+js(c.env_assertion),c.met);});
  (ri.nl_assertions||[]).forEach(function(c){check(box,'NL: '+c.nl_assertion,c.met,c.justification);});
  var db=ri.db_check, s=section(box,'DB difference');
  if(!db){s.appendChild(el('p','no DB check'));return;}
  s.id='dbdiff';
  check(s,db.db_match?'databases match':'databases differ',db.db_match);
  var t=el('table');[['agent DB',db.agent_db_hash],['expected DB',db.expected_db_hash],
   ['agent user DB',db.agent_user_db_hash],['expected user DB',db.expected_user_db_hash]].forEach(function(r){
    var tr=el('tr');tr.appendChild(el('th',r[0]));tr.appendChild(el('td',r[1]==null?'-':r[1]));t.appendChild(tr);});
  s.appendChild(t);
  var diff=db.differences||(ri.info&&(ri.info.db_diff||ri.info.db_differences));
  if(diff)s.appendChild(el('pre',js(diff)));
  else if(!db.db_match)s.appendChild(el('p','the result records only hashes: which tables or records differ is not available'));
}
function renderTicks(box,ticks){
  ticks.forEach(function(t,i){
    var line=el('div',null,'tick'), any=false;
    line.appendChild(el('span','['+(t.tick_id!=null?t.tick_id:i)+'] '));
    ['agent','user'].forEach(function(side){
      var c=t[side+'_chunk']; (t[side+'_tool_calls']||[]).forEach(function(tc){any=true;
        line.appendChild(el('span',side+' calls '+(tc.name||'')+' '+js(tc.arguments)+'  '));});
      if(!c)return; any=true;
      var txt=typeof c==='string'?c:(c.content||(c.unspoken?'('+c.unspoken+')':'\u2026'));
      var cls=c.interrupted?'int':c.backchannel?'bc':'';
      line.appendChild(el('span',side+': '+txt+(c.interrupted?' [interrupted]':'')+(c.backchannel?' [backchannel]':'')+'  ',cls));});
    if(any)box.appendChild(line);});
}
async function open(idx){
  var box=document.getElementById('traj'); box.textContent='loading\u2026';
  var sim=await load(idx); box.textContent='';
  box.appendChild(el('h2','Simulation '+sim.id+' \u2014 task '+sim.task_id+' trial '+sim.trial));
  box.appendChild(el('p','termination '+sim.termination_reason+(sim.error?' error: '+sim.error:'')));
  var audio=sim.__audio||{};
  Object.keys(audio).forEach(function(k){var a=el('audio');a.controls=true;a.src=audio[k];
    var p=el('p',k+': ');p.appendChild(a);box.appendChild(p);});
  if(sim.ticks){var tl=section(box,'Tick timeline');tl.id='timeline';renderTicks(tl,sim.ticks);}
  var tr=section(box,'Transcript');tr.id='transcript';renderMessages(tr,sim.messages);
  renderReward(section(box,'Reward'),sim.reward_info);
  box.scrollIntoView();
}
document.querySelectorAll('button.open').forEach(function(b){
  b.addEventListener('click',function(){open(b.dataset.idx);});});
})();
"""
